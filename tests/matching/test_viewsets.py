from django.urls import reverse

import pytest

from matching.models import SuggestionFeedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def vote(pairing_world):
    return SuggestionFeedback.objects.create(
        user=pairing_world["sakai"],
        challenge=pairing_world["challenge"],
        solution=pairing_world["fitting"],
        useful=False,
    )


def test_secretariat_lists_feedback_in_the_admin(client, pairing_world, vote):
    """The admin listing shows each vote with both sides and the verdict, and can be filtered."""
    client.force_login(pairing_world["secretariat"])
    response = client.get(reverse("matching_suggestionfeedback:index"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "ため池の水位を見守りたい" in body and "水位センサーで見守り" in body
    assert "役に立たない" in body
    filtered = client.get(reverse("matching_suggestionfeedback:index"), {"useful": "true"})
    assert "水位センサーで見守り" not in filtered.content.decode()
    inspect = client.get(reverse("matching_suggestionfeedback:inspect", args=[vote.pk]))
    assert inspect.status_code == 200


def test_nobody_edits_votes_in_the_admin(client, pairing_world, vote):
    """Votes come only from the people who cast them: add, edit and delete are refused."""
    client.force_login(pairing_world["secretariat"])
    for url in (
        reverse("matching_suggestionfeedback:add"),
        reverse("matching_suggestionfeedback:edit", args=[vote.pk]),
        reverse("matching_suggestionfeedback:delete", args=[vote.pk]),
    ):
        assert client.get(url).status_code in (302, 403)
        assert client.post(url, {"useful": "on"}).status_code in (302, 403)
    vote.refresh_from_db()
    assert vote.useful is False


def test_municipality_staff_cannot_open_the_feedback_listing(client, pairing_world, vote):
    """Only the secretariat sees everyone's votes."""
    client.force_login(pairing_world["sakai"])
    response = client.get(reverse("matching_suggestionfeedback:index"))
    assert response.status_code in (302, 403)
    assert "水位センサーで見守り" not in response.content.decode()


def test_feedback_listing_costs_the_same_with_more_votes(client, pairing_world, vote):
    """The admin listing reads each vote's challenge, solution and voter without a query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UserFactory

    client.force_login(pairing_world["secretariat"])
    url = reverse("matching_suggestionfeedback:index")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(4):
        SuggestionFeedback.objects.create(
            user=UserFactory(),
            challenge=pairing_world["challenge"],
            solution=pairing_world["unrelated"],
            useful=True,
        )
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)
