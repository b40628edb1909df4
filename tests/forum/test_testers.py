"""Tester calls (モニター募集): participants open and run them, residents apply and withdraw,
and applications are deleted when the test is over."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import pytest

from forum import tasks
from forum.models import AuditEvent, Municipality, Notification, TesterApplication

# Imported as a module: pytest would collect functions named tester_* as tests.
from forum.services import testers
from forum.services.errors import PermissionDenied, ServiceError
from tests.forum.resident_fixtures import resident_of

pytestmark = pytest.mark.django_db

# The crew fixture (a Sakai project with its participants) comes from tests/forum/conftest.py.


@pytest.fixture
def sakai():
    return Municipality.objects.get(name="堺市")


def _open(crew, actor=None, **kwargs):
    today = timezone.localdate()
    values = {
        "title": "見守りアプリのモニター",
        "description": "ため池の水位を知らせるアプリを2週間使っていただきます。",
        "place": "堺市内のため池周辺",
        "starts_on": today,
        "ends_on": today + timedelta(days=14),
        "places": 2,
        "conditions": "スマートフォンをお持ちの方",
    }
    return testers.tester_call_open(
        actor=actor or crew.company, project=crew.project, **{**values, **kwargs}
    )


def test_participants_open_others_refused(crew):
    """Only the project's participants (and the secretariat) open a call."""
    assert _open(crew).project == crew.project
    for outsider in (crew.outsider, crew.other_municipality, crew.visitor):
        with pytest.raises(PermissionDenied):
            _open(crew, actor=outsider)


def test_bad_period_and_html_refused(crew):
    """A period that ends before it starts, or HTML in the text, is refused with a message."""
    today = timezone.localdate()
    with pytest.raises(ServiceError, match="終了日"):
        _open(crew, starts_on=today + timedelta(days=5), ends_on=today)
    with pytest.raises(ServiceError, match="HTML"):
        _open(crew, description="<b>太字</b>")


def test_resident_applies_once_and_withdraws_with_data_removed(crew, sakai):
    """A resident applies once; withdrawing deletes the application and its note, and the
    audit keeps no trace of who."""
    call = _open(crew)
    resident = resident_of(sakai)
    testers.tester_apply(actor=resident, call=call, note="毎朝ため池の前を通ります")
    with pytest.raises(ServiceError):
        testers.tester_apply(actor=resident, call=call)
    assert testers.tester_withdraw(actor=resident, call=call)
    assert not TesterApplication.objects.filter(user=resident).exists()
    withdrawn = AuditEvent.objects.get(verb="tester.withdrawn")
    assert withdrawn.actor is None and "毎朝" not in str(withdrawn.data)


def test_only_verified_residents_apply(crew, sakai):
    """Members and unverified residents cannot apply."""
    call = _open(crew)
    for actor in (crew.outsider, resident_of(sakai, verified=False)):
        with pytest.raises(PermissionDenied):
            testers.tester_apply(actor=actor, call=call)


def test_applicants_seen_only_by_participants_and_minimal(client, crew, sakai):
    """Participants see municipality and note; name and email only once selected;
    outsiders and residents see no applicant page."""
    call = _open(crew)
    resident = resident_of(sakai, display_name="応募花子")
    testers.tester_apply(actor=resident, call=call, note="条件に合います")
    url = reverse("forum:tester_call_manage", args=[call.pk])
    client.force_login(crew.company)
    page = client.get(url).content.decode()
    assert "条件に合います" in page and "堺市" in page
    assert "応募花子" not in page and resident.email not in page
    client.post(
        reverse("forum:tester_call_action", args=[call.pk, "select"]),
        {"application": resident.tester_applications.get().pk},
    )
    page = client.get(url).content.decode()
    assert "応募花子" in page and resident.email in page
    assert Notification.objects.filter(recipient=resident, verb="tester.selected").exists()
    for outsider in (crew.outsider, crew.other_municipality, crew.visitor):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(resident)
    assert client.get(url).status_code == 403


def test_select_up_to_places_and_message(crew, sakai):
    """No more testers than places; the message reaches the selected testers only."""
    call = _open(crew, places=1)
    first, second = resident_of(sakai), resident_of(sakai)
    a = testers.tester_apply(actor=first, call=call)
    b = testers.tester_apply(actor=second, call=call)
    testers.tester_select(actor=crew.company, application=a)
    with pytest.raises(ServiceError):
        testers.tester_select(actor=crew.company, application=b)
    assert (
        testers.tester_message_send(actor=crew.company, call=call, body="集合場所は市役所です") == 1
    )
    assert Notification.objects.get(recipient=first, verb="tester.message").body == (
        "集合場所は市役所です"
    )
    assert not Notification.objects.filter(recipient=second, verb="tester.message").exists()
    with pytest.raises(PermissionDenied):
        testers.tester_message_send(actor=crew.outsider, call=call, body="x")


def test_resident_pages_apply_and_withdraw(client, crew, sakai):
    """A resident applies and withdraws from the call's page."""
    call = _open(crew)
    resident = resident_of(sakai)
    client.force_login(resident)
    assert (
        "見守りアプリのモニター" in client.get(reverse("residents:tester_calls")).content.decode()
    )
    client.post(reverse("residents:tester_apply", args=[call.pk]), {"note": "参加したいです"})
    page = client.get(reverse("residents:tester_call", args=[call.pk])).content.decode()
    assert "応募しています" in page
    client.post(reverse("residents:tester_withdraw", args=[call.pk]))
    assert not call.applications.exists()


def test_applications_deleted_when_test_is_over(crew, sakai):
    """30 days after the call's last day, or at once when the project is over, the
    applications are deleted by the daily task."""
    call = _open(crew)
    testers.tester_apply(actor=resident_of(sakai), call=call)
    assert testers.tester_data_purge(today=call.ends_on + timedelta(days=30)) == 0
    assert testers.tester_data_purge(today=call.ends_on + timedelta(days=31)) == 1
    call.refresh_from_db()
    assert call.data_purged_at and not call.applications.exists()

    second = _open(crew, title="別のモニター")
    testers.tester_apply(actor=resident_of(sakai), call=second)
    crew.at_stage("discontinued")
    assert tasks.tester_data_purge_task() == 1
    second.refresh_from_db()
    with pytest.raises(ServiceError):
        testers.tester_apply(actor=resident_of(sakai), call=second)


def test_applications_rate_limited_per_account(client, crew, sakai, settings):
    """Past the per-account limit an application is refused with a message."""
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "resident_tester_apply": "1/d/user",
    }
    first, second = _open(crew), _open(crew, title="二つ目のモニター")
    resident = resident_of(sakai)
    client.force_login(resident)
    client.post(reverse("residents:tester_apply", args=[first.pk]))
    response = client.post(reverse("residents:tester_apply", args=[second.pk]), follow=True)
    assert "一時的に止めています" in response.content.decode()
    assert resident.tester_applications.count() == 1


def test_private_project_title_never_shown_with_its_calls(client, crew, sakai):
    """A call of a private project shows its own words and the municipality, never the project's
    title; once the project is public its title and link appear."""
    from forum.services.projects.lifecycle import project_publication_update

    call = _open(crew)
    crew.project.municipalities.add(sakai)
    assert not crew.project.is_public
    client.force_login(resident_of(sakai))
    for url in (
        reverse("residents:tester_calls"),
        reverse("residents:tester_call", args=[call.pk]),
    ):
        page = client.get(url).content.decode()
        assert "見守りアプリのモニター" in page and "堺市" in page
        assert crew.project.title not in page, url
    client.logout()
    assert crew.project.title not in client.get(reverse("residents:tester_calls")).content.decode()
    project_publication_update(
        actor=crew.secretariat, project=crew.project, is_public=True, case_study="事例"
    )
    page = client.get(reverse("residents:tester_call", args=[call.pk])).content.decode()
    assert crew.project.title in page
    assert reverse("projects:detail", args=[crew.project.pk]) in page
    assert crew.project.title in client.get(reverse("residents:tester_calls")).content.decode()


def test_stopped_project_opens_no_tester_call(client, crew):
    """A discontinued project's call for testers is refused with the reason, and its page offers
    no form to open one."""
    crew.at_stage("discontinued")
    with pytest.raises(ServiceError, match="このプロジェクトは中止されています"):
        _open(crew)
    client.force_login(crew.company)
    body = client.get(reverse("forum:project_testers", args=[crew.project.pk])).content.decode()
    assert "このプロジェクトは中止されています" in body and "募集を公開する" not in body
