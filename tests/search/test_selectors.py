from django.http import QueryDict

import pytest

from search.highlight import highlight
from search.selectors import SearchRequest


def test_highlight_marks_width_variants_and_synonyms_in_the_original_text():
    """A drone query marks ﾄﾞﾛｰﾝ and UAV as written, and the text around them is escaped."""
    marked = highlight("<i>ﾄﾞﾛｰﾝ</i>とUAVで点検", "drone")
    assert marked == "&lt;i&gt;<mark>ﾄﾞﾛｰﾝ</mark>&lt;/i&gt;と<mark>UAV</mark>で点検"


def test_highlight_respects_latin_word_boundaries():
    """ai is marked as a word, not inside mail."""
    assert highlight("AI mail", "ai") == "<mark>AI</mark> mail"


def test_highlight_windows_long_text_around_the_first_match():
    """A long text is cut around the first match with ellipses on both cut sides."""
    text = "あ" * 100 + "見守り" + "い" * 300
    marked = highlight(text, "見守り", length=60)
    assert marked.startswith("…") and marked.endswith("…")
    assert "<mark>見守り</mark>" in marked


@pytest.mark.django_db
def test_request_drops_unknown_facet_values():
    """Malformed or unknown facet values are ignored rather than breaking the page."""
    request = SearchRequest.from_query(
        QueryDict("q=ＡＩ&type=event&field=../x&municipality=27140&technology=drone&status=maybe")
    )
    assert (request.query, request.doc_type, request.field, request.municipality) == (
        "AI",
        "",
        "",
        "",
    )
    assert (request.technology, request.status) == ("drone", "")
    assert request.querystring(type="challenge") == "q=AI&technology=drone&type=challenge"
