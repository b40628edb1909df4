"""The member area's front page and the first steps after sign-up."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from forum.models import JoinRequest
from forum.panels import panels_for
from forum.selectors.notifications import notification_list_for_user
from forum.selectors.organisations import membership_list_for_user
from forum.selectors.projects.access import project_list_of_user
from forum.selectors.proposals import (
    challenge_list_for_review,
    municipality_ids_reviewed_by,
    proposal_list_visible,
)
from forum.selectors.roles import organisation_list_for_user, user_is_secretariat
from forum.selectors.solutions import solution_list_for_member


@login_required
def member_home(request):
    """The signed-in person's page: organisations, requests and what to do next."""
    memberships = membership_list_for_user(request.user)
    pending_requests = JoinRequest.objects.filter(
        user=request.user, status=JoinRequest.Status.PENDING
    ).select_related("organisation")
    return render(
        request,
        "forum/member_home.html",
        {
            "memberships": memberships,
            "pending_requests": pending_requests,
            "latest_notifications": notification_list_for_user(request.user)[:5],
            "solutions": solution_list_for_member(request.user)[:5],
            "proposals": proposal_list_visible(request.user)
            .filter(organisation__in=organisation_list_for_user(request.user))
            .order_by("-updated_at")[:5],
            "reviews": challenge_list_for_review(request.user)[:5],
            "is_secretariat": user_is_secretariat(request.user),
            "moderates_needs": bool(municipality_ids_reviewed_by(request.user))
            or user_is_secretariat(request.user),
            "projects": project_list_of_user(request.user).order_by("-created_at")[:5],
            "can_propose": organisation_list_for_user(request.user)
            .exclude(kind__in=["municipality", "secretariat"])
            .exists(),
            "panels": panels_for("member_home", request),
        },
    )


@login_required
def onboarding(request):
    """After sign-up: create a new organisation or ask to join one."""
    return render(
        request,
        "forum/onboarding.html",
        {"memberships": membership_list_for_user(request.user)},
    )
