"""Member-facing pages for organisations and accounts. Thin: parse, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.forms.organisations import InvitationForm, JoinRequestForm, OrganisationApplicationForm
from forum.models import Invitation, JoinRequest, Organisation
from forum.selectors.organisations import (
    organisation_get_for_user,
)
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.joining import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    join_request_create,
    join_request_decide,
)
from forum.services.organisations import organisation_apply


@login_required
def organisation_apply_view(request):
    """Apply for a new organisation."""
    form = OrganisationApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = organisation_apply(
                user=request.user,
                name=data["name"],
                kind=data["kind"],
                name_kana=data["name_kana"],
                website=data["website"],
                description=data["description"],
                address=data["address"],
                size=data["size"],
                municipality=data["municipality"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("「%(name)s」の申請を受け付けました。事務局の審査結果をメールでお知らせします。")
                % {"name": organisation.name},
            )
            return redirect("forum:member_home")
    return render(request, "forum/organisation_apply.html", {"form": form})


@login_required
def organisation_join_view(request):
    """Ask to join an existing organisation."""
    form = JoinRequestForm(
        request.POST or None, initial={"organisation": request.GET.get("organisation")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            join_request_create(
                user=request.user,
                organisation=form.cleaned_data["organisation"],
                message=form.cleaned_data["message"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("参加申請を送りました。団体の管理者の承認をお待ちください。")
            )
            return redirect("forum:member_home")
    return render(request, "forum/organisation_join.html", {"form": form})


@login_required
def organisation_detail(request, pk: int):
    """An organisation's page for its members: people, invitations and join requests."""
    detail = organisation_get_for_user(request.user, pk)
    if detail is None:
        raise Http404
    return render(
        request, "forum/organisation_detail.html", {**detail, "invite_form": InvitationForm()}
    )


@login_required
@require_POST
def invitation_create_view(request, pk: int):
    """Invite a colleague by email."""
    organisation = get_object_or_404(Organisation, pk=pk)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("forum:organisation_detail", pk=pk)
    try:
        invitation_create(
            actor=request.user,
            organisation=organisation,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
        )
    except PermissionDenied:
        raise Http404 from None
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(email)s に招待メールを送りました。") % {"email": form.cleaned_data["email"]},
        )
    return redirect("forum:organisation_detail", pk=pk)


@login_required
@require_POST
def invitation_revoke_view(request, pk: int, invitation_id: int):
    """Revoke an open invitation."""
    invitation = get_object_or_404(Invitation, pk=invitation_id, organisation_id=pk)
    try:
        invitation_revoke(actor=request.user, invitation=invitation)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("招待を取り消しました。"))
    return redirect("forum:organisation_detail", pk=pk)


@login_required
@require_POST
def join_request_decide_view(request, pk: int, request_id: int, decision: str):
    """Accept or decline a join request."""
    if decision not in {"accept", "decline"}:
        raise Http404
    join_request = get_object_or_404(JoinRequest, pk=request_id, organisation_id=pk)
    try:
        changed = join_request_decide(
            actor=request.user, join_request=join_request, accept=decision == "accept"
        )
    except PermissionDenied:
        raise Http404 from None
    if changed:
        messages.success(request, _("参加申請を処理しました。"))
    else:
        messages.info(request, _("この参加申請はすでに処理されています。"))
    return redirect("forum:organisation_detail", pk=pk)


def invitation_accept_view(request, token: str):
    """Open an invitation link: sign in first, then join."""
    invitation = Invitation.objects.select_related("organisation").filter(token=token).first()
    if invitation is None:
        raise Http404
    if not request.user.is_authenticated:
        return render(
            request, "forum/invitation_signin.html", {"invitation": invitation}, status=200
        )
    if request.method == "POST":
        try:
            invitation_accept(user=request.user, token=token)
        except ServiceError as error:
            messages.error(request, error.message)
            return render(
                request,
                "forum/invitation_accept.html",
                {"invitation": invitation, "error": error.message},
            )
        messages.success(
            request, _("「%(name)s」に参加しました。") % {"name": invitation.organisation.name}
        )
        return redirect("forum:member_home")
    return render(request, "forum/invitation_accept.html", {"invitation": invitation})
