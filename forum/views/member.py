"""The member area's front page and the first steps after sign-up."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from forum.models import JoinRequest
from forum.selectors.notifications import notifications_for_user
from forum.selectors.organisations import organisations_with_role_for_user


@login_required
def member_home(request):
    """The signed-in person's page: organisations, requests and what to do next."""
    memberships = organisations_with_role_for_user(request.user)
    pending_requests = JoinRequest.objects.filter(
        user=request.user, status=JoinRequest.Status.PENDING
    ).select_related("organisation")
    return render(
        request,
        "forum/member_home.html",
        {
            "memberships": memberships,
            "pending_requests": pending_requests,
            "latest_notifications": notifications_for_user(request.user)[:5],
        },
    )


@login_required
def onboarding(request):
    """After sign-up: create a new organisation or ask to join one."""
    return render(
        request,
        "forum/onboarding.html",
        {"memberships": organisations_with_role_for_user(request.user)},
    )
