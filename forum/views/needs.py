"""The municipality staff's moderation queue of residents' needs and its actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.forms.residents import NeedDeclineForm, NeedEditForm, NeedMergeForm
from forum.models import Need
from forum.selectors.needs import (
    need_list_for_moderation,
    need_with_support_count,
    user_can_moderate_need,
)
from forum.selectors.proposals import municipality_ids_reviewed_by
from forum.selectors.residents import resident_label
from forum.selectors.roles import user_is_secretariat
from forum.services.errors import ServiceError
from forum.services.needs import need_decline, need_merge, need_publish, need_update


def _moderated(request, pk: int) -> Need:
    need = get_object_or_404(
        need_with_support_count(Need.objects.select_related("municipality", "field")), pk=pk
    )
    if not user_can_moderate_need(request.user, need):
        raise Http404
    return need


def _merge_candidates(need: Need):
    return (
        Need.objects.filter(
            municipality=need.municipality,
            status__in=[Need.Status.SUBMITTED, Need.Status.PUBLISHED],
        )
        .exclude(pk=need.pk)
        .order_by("-created_at")
    )


@login_required
def need_queue(request):
    """Needs of the staff's municipalities: waiting ones first, with their actions."""
    if not (user_is_secretariat(request.user) or municipality_ids_reviewed_by(request.user)):
        raise PermissionDenied
    status = request.GET.get("status", "")
    needs = need_list_for_moderation(request.user)
    if status in Need.Status.values:
        needs = needs.filter(status=status)
    return render(
        request,
        "forum/needs/queue.html",
        {"needs": needs[:200], "statuses": Need.Status.choices, "status": status},
    )


@login_required
def need_moderate(request, pk: int):
    """One need for its moderators: edit for privacy, publish, merge, decline, make a challenge."""
    need = _moderated(request, pk)
    edit_form = NeedEditForm(
        request.POST or None,
        initial={
            "title": need.title,
            "description": need.description,
            "field": need.field,
            "place_name": need.place_name,
        },
    )
    if not need.photo:
        del edit_form.fields["remove_photo"]
    if request.method == "POST" and edit_form.is_valid():
        try:
            need_update(actor=request.user, need=need, **edit_form.cleaned_data)
        except (ServiceError, PermissionDenied) as error:
            edit_form.add_error(None, getattr(error, "message", str(error)))
        else:
            messages.success(request, _("困りごとを保存しました。"))
            return redirect("forum:need_moderate", pk=need.pk)
    return render(
        request,
        "forum/needs/moderate.html",
        {
            "need": need,
            "author_label": resident_label(need.municipality),
            "edit_form": edit_form,
            "decline_form": NeedDeclineForm(),
            "merge_form": NeedMergeForm(candidates=_merge_candidates(need)),
        },
    )


@require_POST
@login_required
def need_action(request, pk: int, action: str):
    """Publish, decline (with a reason) or merge a need."""
    need = _moderated(request, pk)
    try:
        if action == "publish":
            need_publish(actor=request.user, need=need)
            messages.success(request, _("公開しました。投稿した住民の方にお知らせしました。"))
        elif action == "decline":
            form = NeedDeclineForm(request.POST)
            reason = form.data.get("reason", "")
            need_decline(actor=request.user, need=need, reason=reason)
            messages.success(request, _("見送りにしました。理由を住民の方にお知らせしました。"))
        elif action == "merge":
            form = NeedMergeForm(request.POST, candidates=_merge_candidates(need))
            if not form.is_valid():
                raise ServiceError(_("統合先の困りごとを選んでください。"))
            need_merge(actor=request.user, need=need, into=form.cleaned_data["into"])
            messages.success(request, _("統合しました。"))
        else:
            raise Http404
    except (ServiceError, PermissionDenied) as error:
        messages.error(request, getattr(error, "message", str(error)))
    return redirect("forum:need_moderate", pk=need.pk)
