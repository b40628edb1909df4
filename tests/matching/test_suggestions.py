from django.urls import reverse

import pytest

from forum.models import Field, Technology
from forum.services.proposals import proposal_create
from forum.services.solutions import solution_create, solution_set_published
from search.services import index_rebuild
from tests.forum.helpers import company_member
from tests.forum.proposal_fixtures import municipality_staff_for, published_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A Sakai flood challenge, a fitting sensor solution, an unrelated app, and staff of Sakai and Suita."""
    return build_world()


def build_world():
    """The world of the suggestion tests, for fixtures and other suites."""
    challenge = published_challenge(
        title="ため池の水位を見守りたい", summary="大雨のときにため池の水位を知りたい"
    )
    challenge.technologies.set([Technology.objects.get(slug="sensor")])
    user, organisation = company_member()
    fitting = solution_create(
        actor=user,
        organisation=organisation,
        title="水位センサーで見守り",
        summary="ため池や河川の水位を見守る",
        fields=[Field.objects.get(slug="safety")],
        technologies=[Technology.objects.get(slug="sensor")],
    )
    solution_set_published(actor=user, solution=fitting, published=True)
    other_user, other_org = company_member()
    unrelated = solution_create(
        actor=other_user,
        organisation=other_org,
        title="観光案内アプリ",
        summary="観光客向けの案内",
        fields=[Field.objects.get(slug="industry")],
    )
    solution_set_published(actor=other_user, solution=unrelated, published=True)
    index_rebuild()
    return {
        "challenge": challenge,
        "member": user,
        "organisation": organisation,
        "fitting": fitting,
        "sakai": municipality_staff_for("271403"),
        "suita": municipality_staff_for("272051"),
    }


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
