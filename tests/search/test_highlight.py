"""Highlights mark what matched as words, not only the literal text of the query."""

from search.highlight import highlight


def test_spelling_variants_are_marked_as_the_words_they_are():
    """サーバ finds サーバー and 取り組み finds 取組: both are marked, whole."""
    marked = str(highlight("サーバーの取組を見直す", "サーバ 取り組み"))
    assert marked == "<mark>サーバー</mark>の<mark>取組</mark>を見直す"


def test_glossary_equivalents_are_marked_in_either_language():
    """drone marks ﾄﾞﾛｰﾝ (width folded); ドローン marks UAV."""
    assert str(highlight("ﾄﾞﾛｰﾝで点検", "drone")) == "<mark>ﾄﾞﾛｰﾝ</mark>で点検"
    assert str(highlight("橋をUAVで点検", "ドローン")) == "橋を<mark>UAV</mark>で点検"


def test_a_technology_the_query_names_is_marked_and_others_are_not():
    """The result's technology IoT is marked by its other name; センサー is not asked for."""
    text = "センサー網とモノのインターネット"
    marked = str(highlight(text, "iot", technologies=["IoT", "センサー"]))
    assert "<mark>モノのインターネット</mark>" in marked and "<mark>センサー" not in marked


def test_unrelated_words_stay_unmarked_and_text_is_escaped():
    """A word that only shares a bigram is not marked; markup in the text is escaped."""
    assert str(highlight("<b>ローン</b>の相談", "ドローン")) == "&lt;b&gt;ローン&lt;/b&gt;の相談"
