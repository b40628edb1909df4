"""The matching panels of forum pages: challenges for a member, and for one solution."""

from forum.panels import Panel, panel_register
from forum.selectors.roles import organisation_list_acting_for_user
from matching.selectors import (
    challenges_for_member,
    challenges_for_solution,
    challenges_new_in_member_fields,
)


def _member_home(request) -> dict | None:
    if not organisation_list_acting_for_user(request.user).exists():
        return None
    return {"items": challenges_for_member(request.user, limit=5), "for_solution": None}


def _member_home_new(request) -> dict | None:
    if not organisation_list_acting_for_user(request.user).exists():
        return None
    return {"challenges": challenges_new_in_member_fields(request.user)}


def _solution(request, *, solution) -> dict | None:
    return {"items": challenges_for_solution(solution, limit=5), "for_solution": solution}


def panels_register() -> None:
    """Show suggested challenges on the member dashboard and on each solution's page."""
    panel_register(
        "member_home",
        Panel("challenges_for_you", "matching/panel_challenges.html", _member_home, order=10),
    )
    panel_register(
        "member_home",
        Panel(
            "new_in_your_fields",
            "matching/panel_new_challenges.html",
            _member_home_new,
            order=20,
        ),
    )
    panel_register(
        "solution",
        Panel("challenges_for_solution", "matching/panel_challenges.html", _solution, order=10),
    )
