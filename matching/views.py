"""Suggestion pages: solutions for a municipality's challenge, challenges for a member, votes on
them, and the secretariat's board of strong pairings not yet proposed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.models import Challenge, Project, SolutionProfile
from forum.selectors.proposals import municipality_ids_reviewed_by
from forum.selectors.roles import user_is_secretariat
from forum.services.errors import PermissionDenied
from matching.forms import FeedbackForm
from matching.pairings import pairing_board, rows_for_challenge, rows_for_member
from matching.rollout import ROLLOUT_STAGES, rollout_suggestions
from matching.selectors import member_solutions
from matching.services import suggestion_feedback_record


@login_required
def challenge_suggestions(request, challenge_id: int):
    """Suggested solutions for a challenge, for its municipality's staff and the secretariat."""
    challenge = get_object_or_404(Challenge, pk=challenge_id, is_published=True)
    if challenge.municipality_id not in municipality_ids_reviewed_by(
        request.user
    ) and not user_is_secretariat(request.user):
        raise Http404
    return render(
        request,
        "matching/challenge_suggestions.html",
        {"challenge": challenge, "items": rows_for_challenge(request.user, challenge)},
    )


@login_required
def member_suggestions(request):
    """Open challenges that fit the member's published solutions, or one of them (?solution=)."""
    solutions = list(member_solutions(request.user).order_by("title", "pk"))
    chosen = next((s for s in solutions if str(s.pk) == request.GET.get("solution")), None)
    return render(
        request,
        "matching/member_suggestions.html",
        {
            "items": rows_for_member(request.user, solution_id=chosen.pk if chosen else None),
            "solutions": solutions,
            "chosen": chosen,
            "has_published_solution": bool(solutions),
        },
    )


@login_required
@require_POST
def suggestion_feedback(request):
    """Record a useful / not useful vote on a shown pair and go back to the page."""
    next_url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("matching:member_suggestions")
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("評価を記録できませんでした。もう一度お試しください。"))
        return redirect(next_url)
    challenge = get_object_or_404(Challenge, pk=form.cleaned_data["challenge"])
    solution = get_object_or_404(
        SolutionProfile.objects.select_related("organisation"), pk=form.cleaned_data["solution"]
    )
    try:
        suggestion_feedback_record(
            actor=request.user,
            challenge=challenge,
            solution=solution,
            useful=form.cleaned_data["useful"],
            reasons=form.cleaned_data["reason"],
        )
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(request, _("評価を記録しました。マッチングの改善に役立てます。"))
    return redirect(f"{next_url}#pair-{challenge.pk}-{solution.pk}")


@login_required
def board(request):
    """The secretariat's board of the strongest pairings not yet proposed."""
    if not user_is_secretariat(request.user):
        raise PermissionDenied
    return render(
        request, "matching/board.html", {"page_obj": pairing_board(page=request.GET.get("page"))}
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
