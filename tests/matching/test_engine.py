import json
from datetime import timedelta

from django.core.management import CommandError, call_command
from django.utils import timezone

import numpy as np
import pytest

from matching.backends.embedded import Matcher, telling_terms
from matching.evaluation import ndcg_at, precision_at, reciprocal_rank, score_rankings
from matching.query import Profile
from search.analysis import analyze
from search.bm25 import TEXT_FIELDS, BM25Index
from search.vectors import centroids_estimate, encode, vector_key


def _with_vectors(profiles):
    rows = encode([f"{p.title}\n{p.summary}\n{p.description}" for p in profiles])
    for profile, row in zip(profiles, rows, strict=True):
        profile.vector = row
        profile.language = "en" if profile.title.isascii() else "ja"
    return profiles


def _profiles():
    return [
        Profile(
            "c1",
            "challenge",
            "ため池の水位を見守りたい",
            "大雨の時にため池の水位を知りたい",
            fields=["safety"],
            technologies=["センサー"],
            municipalities=["堺市"],
            stage="poc",
            status="open",
        ),
        Profile(
            "s1",
            "solution",
            "水位センサーで見守り",
            "ため池や河川の水位を見守るサービス",
            fields=["safety"],
            technologies=["ｾﾝｻｰ"],
            municipalities=["堺市"],
            stage="in_service",
        ),
        Profile(
            "s2",
            "solution",
            "観光アプリ",
            "観光客向けの案内アプリ",
            fields=["industry"],
            technologies=["アプリ"],
        ),
        Profile(
            "s3",
            "solution",
            "Water level monitoring with drones",
            "UAV flights check reservoirs after heavy rain",
            fields=["safety"],
            technologies=["drone"],
        ),
        Profile(
            "c2",
            "challenge",
            "観光客に地域の魅力を案内したい",
            "観光の案内をスマホで",
            fields=["industry"],
            status="closed",
        ),
    ]


def _matcher(*, vectors=True):
    profiles = _profiles()
    return Matcher(_with_vectors(profiles) if vectors else profiles)


def test_best_match_ranks_first_with_named_reasons():
    """The on-topic solution ranks first and says why: meaning, words, field, technology, place, stage."""
    matcher = _matcher()
    suggestions = matcher.suggest(matcher.profiles["c1"])
    assert suggestions[0].doc_id == "s1"
    clauses = {r.clause for r in suggestions[0].reasons}
    assert clauses == {
        "semantic",
        "text",
        "same_field",
        "shared_technology",
        "same_municipality",
        "stage_fit",
    }
    labels = [r.label for r in suggestions[0].reasons]
    assert "共通の技術: ｾﾝｻｰ" in labels  # the target's own spelling, matched through the synonyms
    assert "同じ市町村での導入実績: 堺市" in labels
    text = next(r for r in suggestions[0].reasons if r.clause == "text")
    assert "ため池" in text.detail and "水位" in text.detail
    assert suggestions[-1].doc_id == "s2"


def test_other_direction_uses_the_same_clauses():
    """From a solution, the matching challenge comes first with the same reasons."""
    matcher = _matcher()
    suggestions = matcher.suggest(matcher.profiles["s1"])
    assert suggestions[0].doc_id == "c1"
    assert {r.clause for r in suggestions[0].reasons} >= {
        "semantic",
        "same_field",
        "shared_technology",
        "stage_fit",
    }


def test_closed_challenges_and_exclusions_never_come_back():
    """A closed challenge, an excluded solution and the source itself are filtered out."""
    matcher = _matcher()
    for_tourism = matcher.suggest(matcher.profiles["s2"])
    assert "c2" not in [s.doc_id for s in for_tourism]
    assert [s.doc_id for s in matcher.suggest(matcher.profiles["c1"], exclude={"s1"})][:1] != ["s1"]
    assert "s1" not in [s.doc_id for s in matcher.suggest(matcher.profiles["c1"], exclude={"s1"})]


def test_english_profile_is_found_for_japanese_challenge():
    """Without shared words, the English drone profile still beats the unrelated tourism app."""
    matcher = _matcher()
    ranked = [s.doc_id for s in matcher.suggest(matcher.profiles["c1"])]
    assert ranked.index("s3") < ranked.index("s2")
    semantic = next(
        r
        for s in matcher.suggest(matcher.profiles["c1"])
        if s.doc_id == "s3"
        for r in s.reasons
        if r.clause == "semantic"
    )
    assert semantic.score > 0


def test_without_vectors_matching_degrades_to_text_and_structure():
    """Profiles whose vectors are not computed yet are still matched, without a semantic reason."""
    matcher = _matcher(vectors=False)
    suggestions = matcher.suggest(matcher.profiles["c1"])
    assert suggestions[0].doc_id == "s1"
    assert "semantic" not in {r.clause for s in suggestions for r in s.reasons}


def test_text_only_ranking_has_no_other_reasons():
    """The baseline ranks by plain BM25 alone."""
    matcher = _matcher()
    for suggestion in matcher.suggest(matcher.profiles["c1"], text_only=True):
        assert {r.clause for r in suggestion.reasons} == {"text"}


def test_older_document_ranks_below_an_identical_fresh_one():
    """Freshness breaks the tie between two identical profiles."""
    now = timezone.now()
    profiles = _profiles()[:2]
    twin = Profile(**{**profiles[1].__dict__, "id": "s9"})
    profiles[1].published_at = now - timedelta(days=5)
    twin.published_at = now - timedelta(days=900)
    matcher = Matcher(profiles + [twin])
    ranked = matcher.suggest(matcher.profiles["c1"], now=now)
    assert [s.doc_id for s in ranked] == ["s1", "s9"]
    assert ranked[0].score > ranked[1].score


def test_telling_terms_prefer_rare_words():
    """More-like-this style: a term every document has loses to one only the target has."""
    index = BM25Index(TEXT_FIELDS)
    for number in range(5):
        index.add(f"d{number}", {"title": analyze("地域の課題"), "summary": [], "description": []})
    index.add("d9", {"title": analyze("地域のため池"), "summary": [], "description": []})
    picked = telling_terms({"title": analyze("地域のため池")}, index, limit=2)
    assert ("title", "ため") in picked and ("title", "地域") not in picked


def test_centroids_shrink_towards_the_overall_mean():
    """A language with one document gets a centroid between its document and the overall mean."""
    ja = np.array([[1.0, 0.0], [0.8, 0.2]], dtype=np.float32)
    en = np.array([[0.0, 1.0]], dtype=np.float32)
    centroids = centroids_estimate({"ja": ja, "en": en})
    overall = np.concatenate([ja, en]).mean(axis=0)
    assert np.allclose(centroids["en"], (en[0] + overall) / 2)
    assert np.allclose(centroids[""], overall)


def test_vector_key_changes_with_the_text():
    """A vector is kept per text: the same text gives the same key, an edit a new one."""
    assert vector_key("ため池") == vector_key("ため池") != vector_key("ため池の水位")


def test_metrics_follow_their_definitions():
    """nDCG@5 with 2^g−1 gains, P@3 at grade ≥2 and MRR of the first grade ≥2."""
    grades = {"a": 3, "b": 2, "c": 1}
    assert ndcg_at(["a", "b", "c"], grades) == pytest.approx(1.0)
    assert ndcg_at(["x", "a"], grades) < 1.0
    assert precision_at(["c", "b", "a"], grades) == pytest.approx(2 / 3)
    assert reciprocal_rank(["c", "x", "b"], grades) == pytest.approx(1 / 3)
    assert reciprocal_rank(["x"], grades) == 0.0


def test_mrr_over_answerable_queries_leaves_out_queries_with_nothing_of_grade_two():
    """A query with only grade-1 items scores 0 in mrr whatever the ranking; mrr_answerable
    averages over the other queries and the report says how many were left out."""
    profiles = _profiles()
    relevance = {"c1": {"s1": 3}, "c2": {"s2": 1}}
    scores = score_rankings(lambda p: ["s1", "s2"], profiles, relevance)
    direction = scores["challenge_to_solutions"]
    assert direction["mrr"] == pytest.approx(0.5)
    assert direction["mrr_answerable"] == pytest.approx(1.0)
    assert direction["unanswerable"] == 1
    assert direction["ndcg@5"] == round((1.0 + ndcg_at(["s1", "s2"], {"s2": 1})) / 2, 4)


@pytest.mark.django_db
def test_evaluate_command_reports_both_directions_and_baseline(tmp_path, capsys):
    """evaluate_matching --json prints scores per direction beside the text-only baseline."""
    path = tmp_path / "set.json"
    path.write_text(
        json.dumps(
            {
                "challenges": [
                    {
                        "id": "c1",
                        "municipality": "堺市",
                        "field": "safety",
                        "title": "ため池の水位",
                        "summary": "水位を見守りたい",
                        "description": "",
                        "technologies": ["センサー"],
                        "desired_stage": "poc",
                    }
                ],
                "solutions": [
                    {
                        "id": "s1",
                        "title": "水位センサー",
                        "summary": "ため池の水位を見守る",
                        "description": "",
                        "fields": ["safety"],
                        "technologies": ["センサー"],
                    },
                    {
                        "id": "s2",
                        "title": "観光アプリ",
                        "summary": "観光案内",
                        "description": "",
                        "fields": ["industry"],
                        "technologies": [],
                    },
                ],
                "relevance": {"c1": {"s1": 3}},
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    call_command("evaluate_matching", str(path), "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["backend"] == "local"
    assert report["challenge_to_solutions"]["ndcg@5"] == 1.0
    assert report["solution_to_challenges"]["mrr"] == 1.0
    assert set(report["baseline_text_only_bm25"]) == {
        "challenge_to_solutions",
        "solution_to_challenges",
    }


def test_evaluate_command_explains_missing_file():
    """A wrong path gives a clear error, not a traceback."""
    with pytest.raises(CommandError, match="ファイルが見つかりません"):
        call_command("evaluate_matching", "/nonexistent/set.json")
