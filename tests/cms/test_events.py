from datetime import UTC, timedelta

from django.utils import timezone

import pytest

from cms.models import EventIndexPage, EventPage, EventRegistration
from forum.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(site):
    """A two-seat meet-up next week."""
    index = site.add_child(instance=EventIndexPage(title="イベント", slug="events"))
    start = timezone.now() + timedelta(days=7)
    page = index.add_child(
        instance=EventPage(
            title="交流会",
            slug="meetup",
            start_at=start,
            end_at=start + timedelta(hours=2),
            venue="大阪市内",
            capacity=2,
        )
    )
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


def _register(client, event, **data):
    return client.post(event.url + "register/", data, follow=True)


def test_registration_beyond_capacity_goes_to_waiting_list(client, event):
    """The first two get places; the third waits and is told so."""
    people = [UserFactory() for _ in range(3)]
    for user in people[:2]:
        client.force_login(user)
        assert "参加申込を受け付けました" in _register(client, event).content.decode()
    client.force_login(people[2])
    assert "キャンセル待ち" in _register(client, event).content.decode()
    statuses = [EventRegistration.objects.get(event=event, user=u).status for u in people]
    assert statuses == ["registered", "registered", "waitlisted"]


def test_cancellation_promotes_first_waiting_and_notifies(client, event):
    """When someone cancels, the first person waiting gets the place and a notification."""
    people = [UserFactory() for _ in range(3)]
    for user in people:
        client.force_login(user)
        _register(client, event)
    client.force_login(people[0])
    _register(client, event, action="cancel")
    assert EventRegistration.objects.get(event=event, user=people[2]).status == "registered"
    assert Notification.objects.filter(recipient=people[2], verb="event.promoted").exists()


def test_double_registration_keeps_one_place(client, event):
    """Registering twice does not take a second place."""
    client.force_login(UserFactory())
    _register(client, event)
    _register(client, event)
    assert EventRegistration.objects.filter(event=event).count() == 1


def test_visitor_must_sign_in_to_register(client, event):
    """Anonymous registration redirects to sign-in and records nothing."""
    response = client.post(event.url + "register/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not EventRegistration.objects.exists()


def test_ics_download_describes_the_event(client, event):
    """The .ics file is a calendar entry with the title and UTC times."""
    response = client.get(event.url + "ics/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and "SUMMARY:交流会" in body
    assert f"DTSTART:{event.start_at.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}" in body


def test_event_times_follow_the_chosen_language(client, event):
    """The event page gives its date and time as Japanese write them, or in English form after the
    visitor switches language, never a Japanese date inside the English page."""
    local = timezone.localtime(event.start_at)
    end = timezone.localtime(event.end_at)
    japanese = client.get(event.url).content.decode()
    assert f"{local.year}年{local.month}月{local.day}日" in japanese
    assert f"{local:%H:%M}〜{end:%H:%M}" in japanese

    client.post("/i18n/setlang/", {"language": "en", "next": event.url})
    english = client.get(event.url).content.decode()
    assert f"{local:%a} {local.day} {local:%b} {local.year}, {local:%H:%M}–{end:%H:%M}" in english
    assert f"{local.year}年" not in english
