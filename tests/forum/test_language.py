"""forum/language.py: the one helper for a title or summary in the visitor's language."""

from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

import pytest

from cms.models import NewsPage
from forum.language import localized, localized_text
from forum.models import Call, Challenge, Project

MARK = "localized-fallback"


def _render(source: str, **context) -> str:
    return Template("{% load localized %}" + source).render(Context(context))


def test_english_site_shows_the_english_title_unmarked():
    """A challenge with an English version reads in English, with nothing marked."""
    challenge = Challenge(title="ため池の見守り", title_en="Pond watch", summary_en="Levels.")
    with translation.override("en"):
        assert localized(challenge) == "Pond watch" and not localized(challenge).fallback
        assert localized(challenge, "summary") == "Levels."
        assert _render("{{ c|localized }}", c=challenge) == "Pond watch"


def test_english_site_marks_a_japanese_fallback():
    """Without an English version the Japanese title is shown in lang="ja" with a badge."""
    challenge = Challenge(title="ため池の見守り", summary="水位を知りたい")
    with translation.override("en"):
        html = _render("{{ c|localized }}", c=challenge)
        assert html.startswith('<span lang="ja">ため池の見守り</span> ')
        assert MARK in html and "Japanese only" in html
        assert _render("{{ c|localized_text }}", c=challenge) == "ため池の見守り"
        assert _render("{{ c|localized_lang:'summary' }}", c=challenge) == "ja"
        assert localized_text(challenge, marked=True) == "ため池の見守り (Japanese only)"


def test_japanese_site_shows_japanese_and_marks_nothing():
    """The Japanese site never shows English or a mark."""
    challenge = Challenge(title="ため池の見守り", title_en="Pond watch")
    with translation.override("ja"):
        assert _render("{{ c|localized }}", c=challenge) == "ため池の見守り"
        assert localized_text(challenge, marked=True) == "ため池の見守り"


@pytest.mark.django_db  # a Wagtail page looks up its content type when it is made
def test_a_challenges_english_summary_needs_its_english_title():
    """An English summary without an English title is not an English version."""
    challenge = Challenge(title="ため池の見守り", summary="水位", summary_en="Levels.")
    page = NewsPage(title="説明会", intro="日本語", intro_en="English intro")
    with translation.override("en"):
        assert localized(page, "intro") == "日本語" and localized(page, "intro").fallback
        page.title_en = "Briefing"
        assert localized(page, "intro") == "English intro"
        assert localized(page) == "Briefing"
    assert localized(challenge, "summary", "en") == "水位"
    assert localized(challenge, "summary", "en").fallback


def test_text_that_has_no_english_field_is_never_marked():
    """A member's own words (a proposal, a need) are shown as written, without a mark."""
    proposal = SimpleNamespace(title="センサーで水位監視")
    with translation.override("en"):
        assert _render("{{ p|localized }}", p=proposal) == "センサーで水位監視"


def test_projects_and_calls_follow_the_same_rule():
    """A project's English name and case study, a call's English title."""
    project = Project(title="見守りの実証", case_study="事例", case_study_en="A case.")
    call = Call(title_ja="第1回", title_en="Call 1")
    with translation.override("en"):
        assert localized(project).fallback and localized(project, "case_study") == "A case."
        assert localized(call) == "Call 1" and not localized(call).fallback


def test_text_is_escaped():
    """A title is escaped in the marked and the unmarked forms alike."""
    challenge = Challenge(title="<b>課題</b>", title_en="")
    with translation.override("en"):
        assert "&lt;b&gt;課題&lt;/b&gt;" in _render("{{ c|localized }}", c=challenge)
    with translation.override("ja"):
        assert _render("{{ c|localized }}", c=challenge) == "&lt;b&gt;課題&lt;/b&gt;"


def test_a_highlighted_japanese_fallback_keeps_its_marks():
    """On the English site a search highlight of a Japanese-only title stays markup inside the
    fallback's span; plain text is still escaped."""
    from django.utils.safestring import mark_safe

    from forum.language import Localized

    with translation.override("en"):
        highlighted = Localized(mark_safe("河川<mark>水位</mark>"), lang="ja", fallback=True)
        html = highlighted.__html__()
        assert "河川<mark>水位</mark>" in html and 'lang="ja"' in html
        plain = Localized("<b>水位</b>", lang="ja", fallback=True).__html__()
        assert "&lt;b&gt;水位&lt;/b&gt;" in plain


@pytest.mark.django_db
def test_language_select_names_each_language_in_itself(client, settings):
    """The header's select offers 日本語 and English on both sites (never 「英語(米国)」)."""
    for language in ("ja", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        html = client.get("/search/").content.decode()
        assert '<option value="ja" lang="ja"' in html and ">日本語</option>" in html
        assert ">English</option>" in html and "英語(米国)" not in html
