"""Pages in two languages: the English site shows a page's English version where it has one,
says plainly where it shows Japanese, and an English version never makes a second challenge."""

import xml.etree.ElementTree as ET

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import WorkflowState

import pytest

from cms.models import NewsIndexPage, NewsPage, StandardPage
from forum.models import Challenge
from forum.selectors.dashboard_facts import dashboard_facts
from forum.selectors.solutions import challenge_key_figures
from search.models import IndexedDocument
from tests.cms.factories import challenge_page, staff_of
from tests.cms.test_authoring import _form
from tests.forum.helpers import secretariat_user

pytestmark = pytest.mark.django_db

SAKAI, SUITA = "271403", "272051"
FALLBACK = "This page is not yet available in English; it is shown in Japanese."
PARTIAL = "Parts of this page are not yet available in English and are shown in Japanese."
JA_TITLE = "大雨の後の斜面を安全に確認したい"
EN_TITLE = "Checking slopes safely after heavy rain"


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _publish(page, **values):
    for name, value in values.items():
        setattr(page, name, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _about(site, **english):
    page = site.add_child(
        instance=StandardPage(
            title="フォーラムについて",
            slug="about",
            show_in_menus=True,
            intro="府内の市町村と企業が集まる場です。",
            body=[("paragraph", "<p>参加のしかたの説明です。</p>")],
        )
    )
    return _publish(page, **english)


def test_english_site_shows_the_english_version_and_japanese_site_the_japanese(client, site):
    _about(
        site,
        title_en="About the forum",
        intro_en="Where municipalities and companies meet.",
        body_en=[("paragraph", "<p>How to take part.</p>")],
    )
    japanese = client.get("/about/").content.decode()
    assert '<h1 class="h3">フォーラムについて</h1>' in japanese
    assert "About the forum" not in japanese and FALLBACK not in japanese
    english = _english(client).get("/about/").content.decode()
    assert '<h1 class="h3">About the forum</h1>' in english
    assert "Where municipalities and companies meet." in english
    assert "How to take part." in english
    assert "参加のしかた" not in english and "フォーラムについて" not in english
    assert FALLBACK not in english and PARTIAL not in english
    # The footer's about link is in the visitor's language.
    assert '<a class="link-light" href="/about/">About the forum</a>' in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    assert '<a class="link-light" href="/about/">フォーラムについて</a>' in (
        client.get("/").content.decode()
    )


def test_page_without_english_says_it_is_shown_in_japanese(client, site):
    index = site.add_child(instance=NewsIndexPage(title="お知らせ", slug="news"))
    index.save_revision().publish()
    news = index.add_child(
        instance=NewsPage(title="説明会を開きます", slug="briefing", intro="参加者を募集します。")
    )
    news.save_revision().publish()
    assert FALLBACK not in client.get("/news/briefing/").content.decode()
    english = _english(client).get("/news/briefing/").content.decode()
    assert FALLBACK in english
    assert '<div lang="ja">' in english  # the Japanese text is marked as Japanese
    assert "説明会を開きます" in english
    # The news list, which has nothing of its own in Japanese, has no notice.
    assert FALLBACK not in client.get("/news/").content.decode()


def test_english_version_with_missing_parts_says_so(client, site):
    _about(site, title_en="About the forum")
    english = _english(client).get("/about/").content.decode()
    assert '<h1 class="h3">About the forum</h1>' in english
    assert PARTIAL in english
    assert "参加のしかたの説明です。" in english  # the part not yet in English


def test_english_parts_need_an_english_title(site):
    page = StandardPage(title="参加方法", slug="join", intro_en="How to join.")
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "title_en" in error.value.message_dict


def _listed(client, path: str, text: str) -> int:
    return client.get(path).content.decode().count(text)


def test_translated_challenge_is_one_challenge_everywhere(
    client, site, django_capture_on_commit_callbacks
):
    """English added to a published challenge: still one record, one search entry, one line in
    the list, the API and the feed, and the same key figures and dashboard counts."""
    with django_capture_on_commit_callbacks(execute=True):
        page = challenge_page(SAKAI, title=JA_TITLE)
    record = Challenge.objects.get(page_id=page.pk)
    figures = challenge_key_figures()
    facts = dashboard_facts(public=True, today=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        _publish(page, title_en=EN_TITLE, summary_en="We want to check slopes without going there.")

    assert Challenge.objects.filter(page_id=page.pk).count() == 1
    assert Challenge.objects.count() == 1
    record = Challenge.objects.get(page_id=page.pk)
    assert (record.title, record.title_en) == (JA_TITLE, EN_TITLE)
    assert IndexedDocument.objects.filter(doc_type="challenge", object_id=record.pk).count() == 1
    assert IndexedDocument.objects.filter(doc_type="challenge").count() == 1
    assert challenge_key_figures() == figures
    after = dashboard_facts(public=True, today=timezone.localdate())
    assert (after.challenge_count, after.proposal_count) == (
        facts.challenge_count,
        facts.proposal_count,
    )

    api = client.get("/api/v1/challenges/", {"page_size": 100}).json()["results"]
    assert [(item["id"], item["title"], item["title_en"]) for item in api] == [
        (record.pk, JA_TITLE, EN_TITLE)
    ]
    feed = ET.fromstring(client.get("/feeds/challenges/rss/").content)
    assert len(feed.findall("./channel/item")) == 1
    assert _listed(client, "/challenges/", JA_TITLE) == 1
    _english(client)
    assert _listed(client, "/challenges/", EN_TITLE) == 1
    assert _listed(client, "/challenges/", JA_TITLE) == 0
    detail = client.get(page.url).content.decode()
    assert f'<h1 class="h3">{EN_TITLE}</h1>' in detail and FALLBACK not in detail


def _edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _english_form(page, **overrides) -> dict:
    return _form(
        page.title,
        slug=page.slug,
        deadline=page.deadline.isoformat(),
        summary=page.summary,
        **overrides,
    )


def test_english_edit_of_a_challenge_goes_through_moderation(
    client, site, django_capture_on_commit_callbacks
):
    """Staff add English in the 英語版 tab and submit: the live page keeps its Japanese only
    until the secretariat approves; the approval updates the same record."""
    with django_capture_on_commit_callbacks(execute=True):
        page = challenge_page(SAKAI, title=JA_TITLE)
    staff = staff_of(SAKAI)
    client.force_login(staff)
    editor = client.get(_edit_url(page)).content.decode()
    assert "英語版" in editor and "タイトル（英語）" in editor
    response = client.post(
        _edit_url(page), _english_form(page, title_en=EN_TITLE, **{"action-submit": "Submit"})
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title_en == ""  # the live page is unchanged while in moderation
    state = WorkflowState.objects.get(
        object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS
    )
    client.logout()
    assert FALLBACK in _english(client).get(page.url).content.decode()

    client.force_login(secretariat_user())
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.current_task_state.pk]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(approve, {"comment": ""}).status_code in {200, 302}
    page.refresh_from_db()
    assert page.live and page.title_en == EN_TITLE
    assert list(Challenge.objects.values_list("title_en", flat=True)) == [EN_TITLE]
    client.logout()
    assert f'<h1 class="h3">{EN_TITLE}</h1>' in _english(client).get(page.url).content.decode()


def test_staff_cannot_translate_another_municipalitys_challenge(client, site):
    page = challenge_page(SUITA, title="吹田市の課題")
    client.force_login(staff_of(SAKAI))
    assert client.get(_edit_url(page)).status_code in {302, 403}
    client.post(
        _edit_url(page), _english_form(page, title_en="Taken over", **{"action-submit": "Submit"})
    )
    page.refresh_from_db()
    assert page.title_en == "" and page.get_latest_revision().content.get("title_en", "") == ""
    assert not WorkflowState.objects.filter(object_id=str(page.pk)).exists()


OUTDATED_NOTICE = "英語版が日本語より古くなっています"


def _latest(page):
    page.refresh_from_db()
    return page.get_latest_revision_as_object()


def test_editor_records_when_each_language_changed_and_warns_of_an_old_english(client, site):
    """Saving English stamps the English; a later change of the Japanese stamps the Japanese and
    the editor then warns that the English is older; updating the English clears the notice."""
    page = challenge_page(SAKAI, title=JA_TITLE)
    client.force_login(staff_of(SAKAI))
    english = {"title_en": EN_TITLE, "summary_en": "Slopes after rain."}
    assert client.post(_edit_url(page), _english_form(page, **english)).status_code == 302
    draft = _latest(page)
    assert draft.english_changed_at is not None and draft.japanese_changed_at is None
    assert OUTDATED_NOTICE not in client.get(_edit_url(page)).content.decode()

    changed = _english_form(page, **english) | {"summary": "斜面の状況を雨の後すぐに知りたい。"}
    assert client.post(_edit_url(page), changed).status_code == 302
    draft = _latest(page)
    assert draft.japanese_changed_at > draft.english_changed_at and draft.english_outdated
    assert OUTDATED_NOTICE in client.get(_edit_url(page)).content.decode()

    caught_up = changed | {"summary_en": "We want to know the slopes right after rain."}
    assert client.post(_edit_url(page), caught_up).status_code == 302
    assert not _latest(page).english_outdated
    assert OUTDATED_NOTICE not in client.get(_edit_url(page)).content.decode()


def test_japanese_edit_of_a_page_without_english_is_not_outdated(client, site):
    """A page with no English version is missing one, never outdated."""
    page = challenge_page(SAKAI, title=JA_TITLE)
    client.force_login(staff_of(SAKAI))
    client.post(_edit_url(page), _english_form(page) | {"summary": "別の概要です。"})
    draft = _latest(page)
    assert draft.japanese_changed_at is not None and not draft.english_outdated
    assert draft.english_state() == "missing"


def test_preview_has_an_english_mode_whatever_the_admin_language(site):
    """Staff preview the English version in the 英語版 mode even when the admin is Japanese, and
    the Japanese page in the default mode even when the admin is English."""
    page = _about(site, title_en="About the forum")
    assert [mode for mode, _label in page.preview_modes] == ["", "en"]
    with translation.override("ja"):
        english = page.make_preview_request(preview_mode="en").content.decode()
    assert '<h1 class="h3">About the forum</h1>' in english and 'lang="en"' in english
    with translation.override("en"):
        japanese = page.make_preview_request(preview_mode="").content.decode()
    assert '<h1 class="h3">フォーラムについて</h1>' in japanese
