"""Highlights mark what matched as words, not only the literal text of the query."""

from search.highlight import highlight, marked


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


def test_a_backend_fragment_keeps_its_marks_and_gains_whole_variants():
    """Elasticsearch marks サーバ inside サーバー on its bigram field; the whole word is marked."""
    fragment = "<mark>サーバ</mark>ーの&lt;b&gt;取組&lt;/b&gt;"
    assert str(marked(fragment, "サーバ 取り組み")) == (
        "<mark>サーバー</mark>の&lt;b&gt;<mark>取組</mark>&lt;/b&gt;"
    )


def test_a_backend_fragment_gains_glossary_equivalents_and_technologies():
    """A fragment is marked like the embedded page: UAV for drone, a named technology by its
    other name; what the backend marked stays marked."""
    assert str(marked("橋を<mark>点検</mark>するUAV", "drone 点検")) == (
        "橋を<mark>点検</mark>する<mark>UAV</mark>"
    )
    text = "センサー網とモノのインターネット"
    fragment = str(marked(text, "iot", technologies=["IoT", "センサー"]))
    assert "<mark>モノのインターネット</mark>" in fragment and "<mark>センサー" not in fragment


def test_a_backend_fragment_without_a_query_is_shown_as_the_backend_marked_it():
    """Nothing is added without a query; markup stays escaped."""
    fragment = "&lt;i&gt;<mark>ドローン</mark>&lt;/i&gt;で点検"
    assert str(marked(fragment)) == fragment
