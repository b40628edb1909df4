"""Following a project or a challenge: the member's button on their public pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.models import Challenge, Project
from forum.selectors.projects.access import project_get_for_participant
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.follows import follow_add, follow_remove


def _next_url(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _follow_toggle(request, *, fallback: str, followed: str, hidden=lambda: False, **target):
    """Follow (or, with action=unfollow, stop following) the target, then go back to the page.

    A refusal is told as a message, unless ``hidden()`` says the target is not the user's to
    know about: then the answer is a 404.
    """
    try:
        if request.POST.get("action") == "unfollow":
            follow_remove(actor=request.user, **target)
            messages.success(request, _("フォローを解除しました。"))
        else:
            follow_add(actor=request.user, **target)
            messages.success(request, followed)
    except PermissionDenied as error:
        if hidden():
            raise Http404 from error
        messages.error(request, str(error))
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(_next_url(request, fallback))


@login_required
@require_POST
def project_follow_view(request, pk: int):
    """Follow (action=follow) or stop following (action=unfollow) a project."""
    project = get_object_or_404(Project, pk=pk)
    return _follow_toggle(
        request,
        project=project,
        fallback=reverse("projects:detail", args=[pk]),
        followed=_("フォローしました。ステージの変更と進捗報告をお知らせします。"),
        hidden=lambda: not project.is_public and not project_get_for_participant(request.user, pk),
    )


@login_required
@require_POST
def challenge_follow_view(request, challenge_id: int):
    """Follow or stop following a published challenge."""
    challenge = get_object_or_404(Challenge, pk=challenge_id, is_published=True)
    return _follow_toggle(
        request,
        challenge=challenge,
        fallback=challenge.url or reverse("forum:member_home"),
        followed=_("フォローしました。この課題から生まれたプロジェクトの動きをお知らせします。"),
    )
