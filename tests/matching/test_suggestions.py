from django.urls import reverse

import pytest

from forum.services.proposals import proposal_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(pairing_world):
    """A Sakai flood challenge, a fitting sensor solution, an unrelated app, and staff of Sakai and Suita."""
    return pairing_world


def test_municipality_sees_suggested_solutions_with_reasons(client, world):
    """Sakai's staff see the sensor solution first, with field and technology named as reasons."""
    client.force_login(world["sakai"])
    response = client.get(reverse("matching:challenge_suggestions", args=[world["challenge"].pk]))
    items = response.context["items"]
    assert items[0].entry.title == "水位センサーで見守り"
    labels = [r.label for r in items[0].suggestion.reasons]
    assert "同じ分野: 防災・防犯" in labels
    assert "共通の技術: センサー" in labels
    assert "<mark>" not in response.content.decode()


def test_other_municipality_cannot_see_suggestions(client, world):
    """Another municipality's staff get a 404."""
    client.force_login(world["suita"])
    assert (
        client.get(
            reverse("matching:challenge_suggestions", args=[world["challenge"].pk])
        ).status_code
        == 404
    )


def test_organisations_that_proposed_are_left_out(client, world):
    """Once the sensor company has proposed, it is no longer suggested for that challenge."""
    proposal_create(
        actor=world["member"],
        challenge=world["challenge"],
        organisation=world["organisation"],
        title="t",
        summary="s",
    )
    client.force_login(world["sakai"])
    items = client.get(
        reverse("matching:challenge_suggestions", args=[world["challenge"].pk])
    ).context["items"]
    assert "水位センサーで見守り" not in [i.entry.title for i in items]


def test_member_sees_open_challenges_for_their_solutions(client, world):
    """The sensor company is shown the flood challenge; closed ones are not suggested."""
    client.force_login(world["member"])
    items = client.get(reverse("matching:member_suggestions")).context["items"]
    assert [i.entry.title for i in items][:1] == ["ため池の水位を見守りたい"]
    world["challenge"].status = "closed"
    world["challenge"].save()
    items = client.get(reverse("matching:member_suggestions")).context["items"]
    assert "ため池の水位を見守りたい" not in [i.entry.title for i in items]


def test_reasons_name_vocabulary_in_the_visitors_language(world):
    """In English, the shared technology and field of a reason read in English."""
    from django.utils.translation import override

    from matching.selectors import solutions_for_challenge

    with override("en"):
        [first, *_] = solutions_for_challenge(world["challenge"])
        labels = [r.label for r in first.suggestion.reasons]
    assert "Shared technology: Sensors" in labels
    assert not any("センサー" in label for label in labels)
