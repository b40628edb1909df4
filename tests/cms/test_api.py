"""The events endpoint: live public events only, with filters and change dates."""

from datetime import timedelta

from django.utils import timezone

from wagtail.models import PageViewRestriction

import pytest

from cms.models import EventIndexPage, EventPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(site):
    """An upcoming and a past event, a draft and one restricted to signed-in people."""
    index = site.add_child(instance=EventIndexPage(title="イベント", slug="events"))
    now = timezone.now()

    def add(slug, *, days, publish=True):
        start = now + timedelta(days=days)
        page = index.add_child(
            instance=EventPage(
                title=f"イベント {slug}",
                slug=slug,
                start_at=start,
                end_at=start + timedelta(hours=2),
                venue="大阪市",
                live=False,
            )
        )
        if publish:
            page.save_revision().publish()
        return EventPage.objects.get(pk=page.pk)

    restricted = add("members-only", days=5)
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    return {
        "upcoming": add("seminar", days=7),
        "past": add("last-year", days=-300),
        "draft": add("draft", days=9, publish=False),
        "restricted": restricted,
    }


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def test_only_live_public_events_are_served(client, events):
    """Drafts and events restricted to signed-in people never appear."""
    assert _ids(client.get("/api/v1/events/")) == [events["past"].pk, events["upcoming"].pk]
    for hidden in ("draft", "restricted"):
        assert client.get(f"/api/v1/events/{events[hidden].pk}/").status_code == 404
    item = client.get(f"/api/v1/events/{events['upcoming'].pk}/").json()
    assert item["title"] == "イベント seminar" and item["venue"] == "大阪市"
    assert item["url"].endswith("/events/seminar/")


def test_upcoming_and_updated_since_filters(client, events):
    """upcoming=true keeps events not yet over; updated_since keeps recently published ones."""
    assert _ids(client.get("/api/v1/events/?upcoming=true")) == [events["upcoming"].pk]
    assert _ids(client.get("/api/v1/events/?upcoming=false")) == [events["past"].pk]
    EventPage.objects.filter(pk=events["past"].pk).update(
        last_published_at=timezone.now() - timedelta(days=30)
    )
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert _ids(client.get("/api/v1/events/", {"updated_since": since})) == [events["upcoming"].pk]


def test_bad_event_filters_get_400(client, events):
    """An unreadable boolean or date is refused in JSON."""
    for query in ("upcoming=perhaps", "updated_since=soon", "venue=大阪"):
        response = client.get(f"/api/v1/events/?{query}")
        assert response.status_code == 400
        assert response.json()["error"]["details"]
