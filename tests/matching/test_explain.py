"""Shared phrases read as words, not as the bigrams that matched."""

import pytest

from matching.explain import highlight, shared_phrases


@pytest.mark.parametrize(
    ("text", "terms", "expected"),
    [
        (
            "ひとり暮らし高齢者の見守りが特に大切",
            {"らし", "し高", "高齢", "齢者", "者の", "の見", "見守", "守り", "が特"},
            ["暮らし高齢者", "見守り"],
        ),
        (
            "水位センサーで見守り",
            {"水位", "セン", "ンサ", "サー", "見守", "守り"},
            ["水位センサー", "見守り"],
        ),
        (
            "ため池や河川の水位を見守る",
            {"ため", "め池", "水位", "見守", "守る"},
            ["ため池", "見守る", "水位"],
        ),
        ("Water level monitoring with drones", {"water", "drones"}, ["drones", "Water"]),
        ("ＡＩで点検", {"ai", "点検"}, ["点検", "ＡＩ"]),
    ],
)
def test_phrases_follow_word_boundaries(text, terms, expected):
    """Runs start at the word, split at particles, drop particles at the ends; widths fold."""
    assert shared_phrases(text, terms) == expected


def test_highlight_escapes_and_marks():
    """The highlighted text is escaped and marks the matched runs."""
    assert str(highlight("<b>水位</b>の見守り", {"水位", "見守"})) == (
        "&lt;b&gt;<mark>水位</mark>&lt;/b&gt;の<mark>見守</mark>り"
    )


def test_half_width_katakana_phrases_keep_their_voiced_marks():
    """ﾄﾞﾛｰﾝ folds to ドローン as the analyzer reads it; the phrase and mark are the whole word."""
    from search.analysis import analyze

    terms = set(analyze("ドローン"))
    assert shared_phrases("ﾄﾞﾛｰﾝで点検", terms) == ["ﾄﾞﾛｰﾝ"]
    assert str(highlight("ﾄﾞﾛｰﾝで点検", terms)) == "<mark>ﾄﾞﾛｰﾝ</mark>で点検"


def test_reasons_name_nouns_not_verb_stems_nor_a_lone_word_of_a_glossary_phrase():
    """A reason reading 「共通の語句: 使わ、見つけ」 or "over" names nothing a reader can check:
    runs of verbs and adjectives are left out, and so is "over" matched alone when the glossary
    has it only inside "watch over" (見守り); the nouns beside them stay (Staff through 職員)."""
    from matching.explain import word_phrases
    from search.analysis import word_terms

    text = "職員が紙を使わずに異変を見つけて知らせる。Staff watch over the phone line overnight."
    source = "職員が使わない紙で異変を見つける。見守り"
    terms = set(word_terms(source))
    phrases = word_phrases(text, terms, limit=10)
    assert sorted(phrases) == sorted(["Staff", "異変", "職員"])
