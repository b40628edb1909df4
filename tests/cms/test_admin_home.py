"""The secretariat's admin home (forum/admin_home.py, cms/admin_home.py) and approving an
organisation from the list and from its edit screen (forum/viewsets/)."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from forum.models import AuditEvent, Notification, Organisation, Project
from forum.services.organisations import organisation_apply
from tests.cms.factories import challenge_page, staff_of
from tests.factories import OrganisationFactory, UserFactory
from tests.forum.helpers import secretariat_user
from tests.forum.project_fixtures import make_crew

pytestmark = pytest.mark.django_db

SAKAI = "271403"


@pytest.fixture
def waiting(site):
    """One of each thing that waits: an application, a challenge in moderation, a silent project."""
    applicant = OrganisationFactory(name="株式会社みらい計測", status=Organisation.Status.PENDING)
    page = challenge_page(SAKAI, title="ため池の水位を知りたい")
    page.unpublish()
    page.get_workflow().start(page, staff_of(SAKAI))
    crew = make_crew(title="見守りの実証")
    Project.objects.filter(pk=crew.project.pk).update(
        created_at=timezone.now() - timedelta(days=120)
    )
    return applicant, page, crew.project


def test_secretariat_home_shows_what_waits_with_its_action(client, waiting):
    """The secretariat's admin home lists the application (approve button and review link), the
    challenge in moderation (its editor) and the silent project (its management page)."""
    applicant, page, project = waiting
    client.force_login(secretariat_user())
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    review = reverse("forum_organisation:review", args=[applicant.pk])
    assert "承認待ちの団体" in html and "株式会社みらい計測" in html
    assert f'<form method="post" action="{review}"' in html and ">承認する</button>" in html
    assert f'href="{review}"' in html
    panel = html[html.index('id="panel-challenges_in_moderation"') :]
    panel = panel[: panel.index("</section>")]
    assert "確認待ちの課題" in panel and "ため池の水位を知りたい" in panel
    assert f'href="{reverse("wagtailadmin_pages:edit", args=[page.pk])}"' in panel
    assert "90日以上報告のないプロジェクト" in html and "見守りの実証" in html
    assert f'href="{reverse("forum:project_manage", args=[project.pk])}"' in html


def test_municipality_staff_do_not_see_the_secretariats_panels(client, waiting):
    """Municipality staff's admin home has none of the secretariat's panels or their items."""
    client.force_login(staff_of(SAKAI))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    for text in (
        "承認待ちの団体",
        "株式会社みらい計測",
        "90日以上報告のないプロジェクト",
        "見守りの実証",
    ):
        assert text not in html
    assert 'id="panel-challenges_in_moderation"' not in html


def test_organisation_is_approved_from_the_list_in_one_click(client, waiting):
    """The list shows a visible 承認する button on a pending row; it approves through the service
    (audited, members told) and returns to the list."""
    applicant, _page, _project = waiting
    staff = secretariat_user()
    client.force_login(staff)
    index = reverse("forum_organisation:index")
    html = client.get(index).content.decode()
    review = reverse("forum_organisation:review", args=[applicant.pk])
    row = html[html.index("株式会社みらい計測") :]
    assert f'action="{review}"' in row[: row.index("</tr>")]
    response = client.post(review, {"action": "approve", "next": index})
    assert response.status_code == 302 and response["Location"] == index
    applicant.refresh_from_db()
    assert applicant.status == Organisation.Status.APPROVED
    assert AuditEvent.objects.filter(
        verb="organisation.approved", target_id=applicant.pk, actor=staff
    ).exists()


def test_organisation_is_approved_from_its_edit_screen(client, waiting):
    """A pending organisation's edit screen offers 承認する; it approves and comes back there."""
    applicant, _page, _project = waiting
    client.force_login(secretariat_user())
    edit = reverse("forum_organisation:edit", args=[applicant.pk])
    html = client.get(edit).content.decode()
    review = reverse("forum_organisation:review", args=[applicant.pk])
    assert "この団体は承認を待っています" in html and f'action="{review}"' in html
    response = client.post(review, {"action": "approve", "next": edit})
    assert response["Location"] == edit
    applicant.refresh_from_db()
    assert applicant.status == Organisation.Status.APPROVED
    assert "この団体は承認を待っています" not in client.get(edit).content.decode()


def test_approval_elsewhere_than_the_site_is_not_followed(client, waiting):
    """A next address on another host is ignored: the approval leads back to the list."""
    applicant, _page, _project = waiting
    client.force_login(secretariat_user())
    response = client.post(
        reverse("forum_organisation:review", args=[applicant.pk]),
        {"action": "approve", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("forum_organisation:index")


def test_municipality_staff_cannot_approve(client, waiting):
    """Municipality staff's approval POST is refused and changes nothing."""
    applicant, _page, _project = waiting
    client.force_login(staff_of(SAKAI))
    response = client.post(
        reverse("forum_organisation:review", args=[applicant.pk]), {"action": "approve"}
    )
    assert response.status_code in (302, 403)
    applicant.refresh_from_db()
    assert applicant.status == Organisation.Status.PENDING


def test_secretariats_email_about_an_application_links_to_its_review_screen(
    site, django_capture_on_commit_callbacks
):
    """The secretariat's notice of a new application links to that application's review screen."""
    secretariat = secretariat_user()
    with django_capture_on_commit_callbacks(execute=True):
        organisation = organisation_apply(
            user=UserFactory(), name="合同会社まちデータ", kind="company"
        )
    review = reverse("forum_organisation:review", args=[organisation.pk])
    notice = Notification.objects.get(recipient=secretariat, verb="organisation.applied")
    assert notice.url == review
    sent = [m for m in mail.outbox if secretariat.email in m.to]
    assert sent and f"{review}" in sent[-1].body


def test_stale_panel_lists_only_projects_that_should_be_reporting(client, site):
    """A proof of concept silent for 120 days is listed and counted; an implemented, a rolled-out
    and a discontinued project silent for years are not stalled and stay out of the panel."""
    long_ago = timezone.now() - timedelta(days=2258)
    for title, stage in (
        ("実装済みの予約", "implementation"),
        ("横展開中の通報", "rollout"),
        ("中止した翻訳", "discontinued"),
    ):
        Project.objects.filter(pk=make_crew(title=title).project.pk).update(
            stage=stage, created_at=long_ago
        )
    Project.objects.filter(pk=make_crew(title="見守りの実証").project.pk).update(
        stage="poc", created_at=timezone.now() - timedelta(days=120)
    )
    client.force_login(secretariat_user())
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = html[html.index('id="panel-stale_projects"') :]
    panel = panel[: panel.index("</section>")]
    assert "見守りの実証" in panel and "実証実験・最終報告から120日" in panel
    assert ">1件<" in panel
    for title in ("実装済みの予約", "横展開中の通報", "中止した翻訳", "2258日"):
        assert title not in panel
