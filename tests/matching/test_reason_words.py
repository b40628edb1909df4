"""Reasons name whole words or glossary terms: measured over every suggestion of the demo site
and of both labelled development sets (the sets live in shared/data beside the repository)."""

import os
from pathlib import Path

import pytest

from cms.demo.challenges import CHALLENGES
from cms.demo.solutions import DEMO_SOLUTIONS
from matching.evaluation import load_labelled, reason_words
from matching.explain import non_word_phrases, word_phrases
from matching.query import Profile

# ../shared/data beside the repository, or MATCHING_DEV_DATA when the sets live elsewhere.
DATA = Path(
    os.environ.get("MATCHING_DEV_DATA") or Path(__file__).resolve().parents[3] / "shared" / "data"
)
SETS = ("matching-dev.json", "matching-dev-hard.json")


def demo_profiles() -> list[Profile]:
    """The demo site's challenges and solutions (cms/demo) as matching sees them."""
    profiles = [
        Profile(
            id=f"challenge:{number}",
            kind="challenge",
            title=title,
            summary=summary,
            description=f"{background}\n{wanted}",
            fields=[field_slug],
            technologies=list(technologies),
            municipalities=[code],
            stage=stage,
        )
        for number, (
            code,
            field_slug,
            technologies,
            stage,
            _,
            _,
            title,
            summary,
            background,
            wanted,
        ) in enumerate(CHALLENGES, start=1)
    ]
    profiles += [
        Profile(
            id=f"solution:{number}",
            kind="solution",
            title=title,
            summary=summary,
            description=f"{description}\n{track_record}",
            fields=list(fields),
            technologies=list(technologies),
            stage=stage,
        )
        for number, (title, summary, description, fields, technologies, stage, track_record) in (
            enumerate(DEMO_SOLUTIONS, start=1)
        )
    ]
    return profiles


def test_fragments_and_empty_phrases_are_counted():
    """The measurement itself: bigram fragments and empty phrases fail, words and terms pass."""
    text = "ひとり暮らし高齢者の見守りにスマートメーターを使う"
    assert non_word_phrases(text, ["スマ", "齢者", "", "暮らし高齢者"]) == ["スマ", "齢者", ""]
    assert non_word_phrases(text, ["高齢者", "見守り", "スマートメーター", "drone"]) == []


def test_shared_words_join_with_their_affixes_and_follow_the_glossary():
    """高齢 + 者 read as 高齢者; ドローン is shared with a source that said UAV."""
    text = "ひとり暮らし高齢者の見守り。ﾄﾞﾛｰﾝで橋梁点検"
    assert word_phrases(text, {"高齢者", "橋梁", "点検", "uav"}) == [
        "ﾄﾞﾛｰﾝ",
        "橋梁点検",
        "高齢者",
    ]


def test_every_demo_suggestion_names_whole_words():
    """Over the demo site: no fragment, no empty reason label."""
    counts = reason_words(demo_profiles())
    assert counts["suggestions"] > 50 and counts["phrases"] > 20
    assert counts["non_word_phrases"] == [] and counts["empty_labels"] == []


@pytest.mark.parametrize("name", SETS)
def test_every_development_set_suggestion_names_whole_words(name):
    """Over both development sets, every suggestion in both directions (text and structure:
    vectors change which documents are suggested, not how a reason is named)."""
    if not (DATA / name).exists():
        pytest.skip(f"{DATA / name} is not present")
    profiles, _ = load_labelled(DATA / name)
    counts = reason_words(profiles)
    assert counts["suggestions"] >= 900 and counts["phrases"] > 500
    assert counts["non_word_phrases"] == [] and counts["empty_labels"] == []
