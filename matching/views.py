"""Suggestion pages: solutions for a municipality's challenge, challenges for a member."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from forum.models import Challenge, Project
from forum.selectors.proposals import reviewer_municipality_ids
from forum.selectors.roles import user_is_secretariat
from matching.rollout import ROLLOUT_STAGES, rollout_suggestions
from matching.selectors import challenges_for_member, solutions_for_challenge


@login_required
def challenge_suggestions(request, challenge_id: int):
    """Suggested solutions for a challenge, for its municipality's staff and the secretariat."""
    challenge = get_object_or_404(Challenge, pk=challenge_id, is_published=True)
    if challenge.municipality_id not in reviewer_municipality_ids(
        request.user
    ) and not user_is_secretariat(request.user):
        raise Http404
    return render(
        request,
        "matching/challenge_suggestions.html",
        {"challenge": challenge, "items": solutions_for_challenge(challenge)},
    )


@login_required
def member_suggestions(request):
    """Open challenges that fit the member's published solutions."""
    return render(
        request, "matching/member_suggestions.html", {"items": challenges_for_member(request.user)}
    )


@login_required
def project_rollout(request, project_id: int):
    """Municipalities with similar challenges for an implemented project, for the secretariat."""
    if not user_is_secretariat(request.user):
        raise Http404
    project = get_object_or_404(Project, pk=project_id)
    return render(
        request,
        "matching/project_rollout.html",
        {
            "project": project,
            "ready": project.stage in ROLLOUT_STAGES,
            "suggestions": rollout_suggestions(project),
        },
    )
