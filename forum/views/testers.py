"""Tester calls (モニター募集): participants run them in the member area, residents apply."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.forms.residents import TesterApplyForm, TesterCallForm, TesterMessageForm
from forum.models import TesterCall
from forum.rules.project_progress import project_progress_refusal
from forum.selectors.projects.access import project_get_for_participant
from forum.selectors.residents import user_is_resident
from forum.selectors.testers import (
    tester_application_get_own,
    tester_application_list_for_call,
    tester_call_list_for_project,
    tester_call_list_open,
    user_can_manage_tester_call,
)
from forum.services.errors import ServiceError
from forum.services.testers import (
    tester_apply,
    tester_call_close,
    tester_call_open,
    tester_message_send,
    tester_select,
    tester_withdraw,
)
from forum.views.residents import rate_limited


def _refusal(error) -> str:
    return getattr(error, "message", str(error))


@login_required
def project_tester_calls(request, pk: int):
    """A project's tester calls and the form to open one (its participants only)."""
    found = project_get_for_participant(request.user, pk)
    if found is None:
        raise Http404
    project, _roles = found
    form = TesterCallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = tester_call_open(actor=request.user, project=project, **form.cleaned_data)
        except (ServiceError, PermissionDenied) as error:
            form.add_error(None, _refusal(error))
        else:
            messages.success(request, _("モニター募集を公開しました。"))
            return redirect("forum:tester_call_manage", call_id=call.pk)
    return render(
        request,
        "forum/testers/project_calls.html",
        {
            "project": project,
            "calls": tester_call_list_for_project(project),
            "form": form,
            "closed_notice": project_progress_refusal(project.stage),
        },
    )


def _managed(request, call_id: int) -> TesterCall:
    call = get_object_or_404(TesterCall.objects.select_related("project"), pk=call_id)
    if not user_can_manage_tester_call(request.user, call):
        raise Http404
    return call


@login_required
def tester_call_manage(request, call_id: int):
    """The call's applicants: what the participants need to choose, and nothing more."""
    call = _managed(request, call_id)
    return render(
        request,
        "forum/testers/call_manage.html",
        {
            "call": call,
            "applications": tester_application_list_for_call(request.user, call),
            "message_form": TesterMessageForm(),
        },
    )


@require_POST
@login_required
def tester_call_action(request, call_id: int, action: str):
    """Select an applicant, message the selected testers, or close the call."""
    call = _managed(request, call_id)
    try:
        if action == "select":
            application = get_object_or_404(call.applications, pk=request.POST.get("application"))
            tester_select(actor=request.user, application=application)
            messages.success(request, _("モニターに選びました。本人にお知らせしました。"))
        elif action == "message":
            sent = tester_message_send(
                actor=request.user, call=call, body=request.POST.get("body", "")
            )
            messages.success(request, _("%(n)d人にメッセージを送りました。") % {"n": sent})
        elif action == "close":
            tester_call_close(actor=request.user, call=call)
            messages.success(request, _("募集を締め切りました。"))
        else:
            raise Http404
    except (ServiceError, PermissionDenied) as error:
        messages.error(request, _refusal(error))
    return redirect("forum:tester_call_manage", call_id=call.pk)


def tester_call_list(request):
    """Open calls for resident testers."""
    return render(request, "forum/testers/call_list.html", {"calls": tester_call_list_open()})


def tester_call_detail(request, pk: int):
    """One call: what, where, when, how many, conditions; apply or withdraw."""
    call = get_object_or_404(TesterCall.objects.select_related("project"), pk=pk)
    return render(
        request,
        "forum/testers/call_detail.html",
        {
            "call": call,
            "application": tester_application_get_own(request.user, call),
            "is_resident": user_is_resident(request.user),
            "form": TesterApplyForm(),
        },
    )


@require_POST
@login_required
def tester_apply_view(request, pk: int):
    """Apply to a call."""
    call = get_object_or_404(TesterCall, pk=pk)
    form = TesterApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("ひとことは500文字以内にしてください。"))
    elif rate_limited(request, "resident_tester_apply"):
        messages.error(
            request, _("応募が続いたため一時的に止めています。時間をおいてお試しください。")
        )
    else:
        try:
            tester_apply(actor=request.user, call=call, note=form.cleaned_data["note"])
        except (ServiceError, PermissionDenied) as error:
            messages.error(request, _refusal(error))
        else:
            messages.success(request, _("応募しました。選ばれた場合はお知らせします。"))
    return redirect("residents:tester_call", pk=call.pk)


@require_POST
@login_required
def tester_withdraw_view(request, pk: int):
    """Withdraw an application; what it said is deleted."""
    call = get_object_or_404(TesterCall, pk=pk)
    if tester_withdraw(actor=request.user, call=call):
        messages.success(request, _("応募を取り下げ、応募の情報を削除しました。"))
    return redirect("residents:tester_call", pk=call.pk)
