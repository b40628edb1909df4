"""The translation report 「英語版の状況」 (cms/reports.py): pages and case studies whose English
version is missing or older than the Japanese, filterable, each linked to its editor, and only
what the reader may edit."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from cms.models import ChallengePage, NewsIndexPage, NewsPage
from forum.models import Project
from forum.services.projects.lifecycle import project_publication_update
from tests.cms.factories import challenge_page, staff_of
from tests.forum.helpers import secretariat_user, signed_in_with_mfa
from tests.forum.project_fixtures import make_crew

pytestmark = pytest.mark.django_db

SAKAI, SUITA = "271403", "272051"
REPORT = "/admin/reports/english-versions/"


def _stamped(page, *, title_en="", english_days_ago=None, japanese_days_ago=None):
    now = timezone.now()
    ChallengePage.objects.filter(pk=page.pk).update(
        title_en=title_en,
        english_changed_at=now - timedelta(days=english_days_ago) if english_days_ago else None,
        japanese_changed_at=now - timedelta(days=japanese_days_ago) if japanese_days_ago else None,
    )
    return page


@pytest.fixture
def pages(site):
    """Sakai: one challenge with no English, one whose English is older than its Japanese, one
    up to date; Suita: one with no English; a news item with no English."""
    missing = challenge_page(SAKAI, title="英語のない課題")
    outdated = _stamped(
        challenge_page(SAKAI, title="英語の古い課題"),
        title_en="Old English",
        english_days_ago=10,
        japanese_days_ago=2,
    )
    current = _stamped(
        challenge_page(SAKAI, title="英語の新しい課題"),
        title_en="Fresh English",
        english_days_ago=1,
        japanese_days_ago=5,
    )
    suita = challenge_page(SUITA, title="吹田市の英語のない課題")
    news_index = site.add_child(instance=NewsIndexPage(title="お知らせ", slug="news"))
    news = news_index.add_child(
        instance=NewsPage(title="説明会のお知らせ", slug="briefing", date=timezone.localdate())
    )
    return {
        "missing": missing,
        "outdated": outdated,
        "current": current,
        "suita": suita,
        "news": news,
    }


@pytest.fixture
def case_studies(db):
    """A public project with no English case study and one whose English is older."""
    crew = make_crew(title="見守りの実証")
    secretariat = crew.secretariat
    project_publication_update(
        actor=secretariat, project=crew.project, is_public=True, case_study="見守りの事例です。"
    )
    other = make_crew(title="水位の実証").project
    project_publication_update(
        actor=secretariat,
        project=other,
        is_public=True,
        case_study="水位の事例です。",
        case_study_en="A water level case.",
    )
    project_publication_update(
        actor=secretariat,
        project=other,
        is_public=True,
        case_study="水位の事例です。改訂しました。",
        case_study_en="A water level case.",
    )
    return crew.project, Project.objects.get(pk=other.pk)


def _edit(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_secretariat_sees_every_missing_or_outdated_english_version(client, pages, case_studies):
    """Challenges, news and case studies without English or with an old English are listed with a
    link to their editor; the up-to-date challenge is not."""
    untranslated, revised = case_studies
    signed_in_with_mfa(client, secretariat_user())
    html = client.get(REPORT).content.decode()
    assert "英語版の状況" in html
    for name in ("missing", "outdated", "suita", "news"):
        assert f'href="{_edit(pages[name])}"' in html, name
    assert _edit(pages["current"]) not in html
    assert "英語版なし" in html and "英語版が古い" in html
    for project in (untranslated, revised):
        assert f'href="{reverse("forum_project:edit", args=[project.pk])}"' in html
    assert revised.case_study_changed_at > revised.case_study_en_changed_at


def test_report_filters_by_type_and_state(client, pages, case_studies):
    """?kind= keeps one type, ?state= one state, and both together narrow further."""
    _untranslated, revised = case_studies
    signed_in_with_mfa(client, secretariat_user())
    challenges = client.get(REPORT, {"kind": "challenge"}).content.decode()
    assert _edit(pages["missing"]) in challenges and _edit(pages["news"]) not in challenges
    assert reverse("forum_project:edit", args=[revised.pk]) not in challenges
    outdated = client.get(REPORT, {"state": "outdated"}).content.decode()
    assert _edit(pages["outdated"]) in outdated and _edit(pages["missing"]) not in outdated
    assert reverse("forum_project:edit", args=[revised.pk]) in outdated
    both = client.get(
        reverse("cms_english_versions_results"), {"kind": "case_study", "state": "outdated"}
    ).content.decode()
    assert reverse("forum_project:edit", args=[revised.pk]) in both
    assert _edit(pages["outdated"]) not in both


def test_municipality_staff_see_only_pages_they_may_edit(client, pages, case_studies):
    """Sakai's staff see Sakai's challenges, not Suita's, the news or the case studies."""
    signed_in_with_mfa(client, staff_of(SAKAI))
    html = client.get(REPORT).content.decode()
    assert _edit(pages["missing"]) in html and _edit(pages["outdated"]) in html
    assert _edit(pages["suita"]) not in html and _edit(pages["news"]) not in html
    for project in case_studies:
        assert reverse("forum_project:edit", args=[project.pk]) not in html


def test_english_saved_as_a_draft_counts(client, pages):
    """A page whose English is in its latest draft is no longer listed as missing."""
    page = pages["missing"]
    page.title_en = "Draft English"
    page.save_revision()
    signed_in_with_mfa(client, secretariat_user())
    assert _edit(page) not in client.get(REPORT).content.decode()


def test_report_is_refused_to_visitors(client, pages):
    """Someone not signed in is sent to the admin's sign-in, never shown the report."""
    response = client.get(REPORT)
    assert response.status_code == 302 and "login" in response["Location"]


def test_report_is_in_the_reports_menu(client, pages):
    """The admin's reports menu links the report."""
    signed_in_with_mfa(client, secretariat_user())
    assert REPORT in client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_page_never_stamped_shows_when_it_was_last_saved(pages):
    """A page written before the editor stamped its languages (the demo) shows its last save
    as its Japanese update, not an empty cell."""
    from cms.selectors import english_version_list

    revision = pages["missing"].save_revision()
    rows = {row.title: row for row in english_version_list(secretariat_user())}
    assert rows["英語のない課題"].japanese_changed_at == revision.created_at
