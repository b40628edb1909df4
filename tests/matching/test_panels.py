"""Suggested challenges on the member dashboard and on a solution's page."""

from django.urls import reverse

import pytest

from forum.panels import Panel, panel_register, panels_for
from tests.matching.test_suggestions import world  # noqa: F401  (the shared fixture)

pytestmark = pytest.mark.django_db


def test_member_dashboard_shows_challenges_for_you_with_reasons(client, world):  # noqa: F811
    """The member's home lists the fitting open challenge with its reasons."""
    client.force_login(world["member"])
    response = client.get(reverse("forum:member_home"))
    [panel] = [p for p in response.context["panels"] if p.name == "challenges_for_you"]
    [item] = panel.context["items"][:1]
    assert item.entry.title == "ため池の水位を見守りたい"
    assert item.source == f"solution:{world['fitting'].pk}"
    body = response.content.decode()
    assert "あなたへのおすすめ課題" in body and "同じ分野: 防災・防犯" in body


def test_member_home_lists_new_challenges_in_the_members_fields(client, world):  # noqa: F811
    """Below the ranked suggestions, the member's home lists the newest open challenges in the
    fields of their solutions."""
    client.force_login(world["member"])
    response = client.get(reverse("forum:member_home"))
    names = [p.name for p in response.context["panels"]]
    assert names.index("challenges_for_you") < names.index("new_in_your_fields")
    [panel] = [p for p in response.context["panels"] if p.name == "new_in_your_fields"]
    assert [c.title for c in panel.context["challenges"]] == ["ため池の水位を見守りたい"]
    assert "あなたの分野の新着課題" in response.content.decode()


def test_solution_page_shows_challenges_for_that_solution(client, world):  # noqa: F811
    """Each solution's page lists the open challenges that fit it."""
    client.force_login(world["member"])
    response = client.get(reverse("forum:solution_edit", args=[world["fitting"].pk]))
    body = response.content.decode()
    assert "このソリューションに合う募集中の課題" in body
    assert "ため池の水位を見守りたい" in body


def test_municipality_staff_get_no_challenge_panel(client, world):  # noqa: F811
    """Staff of a municipality do not propose, so their home shows no suggested challenges."""
    client.force_login(world["sakai"])
    response = client.get(reverse("forum:member_home"))
    assert [p.name for p in response.context["panels"]] == []


def test_a_failing_panel_leaves_the_page_working(rf, world):  # noqa: F811
    """A panel whose reader raises is left out; the others still render."""

    def broken(request):
        raise RuntimeError("index unavailable")

    panel_register("member_home", Panel("broken_for_test", "x.html", broken, order=0))
    try:
        request = rf.get("/member/")
        request.user = world["member"]
        names = [p.name for p in panels_for("member_home", request)]
        assert "broken_for_test" not in names and "challenges_for_you" in names
    finally:
        from forum.panels import _registry

        _registry["member_home"].pop("broken_for_test")
