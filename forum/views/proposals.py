"""Proposals in the member area: drafting and submitting, review by the municipality, messages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.forms.proposals import (
    AttachmentForm,
    DecisionForm,
    MessageForm,
    NotificationPreferenceForm,
    PartnerForm,
    ProposalForm,
)
from forum.models import (
    Challenge,
    NotificationPreference,
    Organisation,
    ProjectProposal,
    Proposal,
    ProposalAttachment,
)
from forum.rules.proposals import (
    PROPOSER,
    REVIEWER,
    TRANSITIONS,
    challenge_accepts_proposals,
    proposal_actions,
    proposal_is_editable,
)
from forum.selectors.evaluation import criterion_list_for_challenge
from forum.selectors.projects.lists import project_list_joinable
from forum.selectors.proposals import (
    challenge_list_for_review,
    municipality_ids_reviewed_by,
    proposal_get_for_user,
    proposal_list_for_review,
    proposal_list_of_member_organisations,
    proposal_list_own,
    proposal_partner_get_for_user,
    proposal_partner_list,
)
from forum.selectors.roles import organisation_list_for_user, user_is_secretariat
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.notifications import notification_preference_update
from forum.services.proposals import (
    proposal_attachment_add,
    proposal_create,
    proposal_message_post,
    proposal_partner_answer,
    proposal_partner_invite,
    proposal_transition,
    proposal_update,
)
from forum.views.files import private_file_response


def _proposing_organisations(user):
    return organisation_list_for_user(user).exclude(
        kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.SECRETARIAT]
    )


def _get(user, pk: int) -> tuple[Proposal, str]:
    found = proposal_get_for_user(user, pk)
    if found is None:
        raise Http404
    return found


def _chosen_organisation(request, organisations):
    """The organisation named in the request, if the user may propose for it, else the first."""
    chosen = organisations.filter(
        pk=request.POST.get("organisation") or request.GET.get("organisation")
    ).first()
    return chosen or organisations.first()


@login_required
def proposal_create_view(request, challenge_id: int):
    """Start a proposal to an open challenge."""
    challenge = get_object_or_404(Challenge, pk=challenge_id, is_published=True)
    organisations = _proposing_organisations(request.user)
    if not organisations.exists():
        messages.error(
            request, _("提案するには、承認済みの企業・大学などの団体に所属している必要があります。")
        )
        return redirect("forum:member_home")
    if not challenge_accepts_proposals(challenge):
        messages.error(request, _("この課題の募集は終了しています。提案できません。"))
        return redirect(challenge.url or "forum:member_home")
    organisation = _chosen_organisation(request, organisations)
    # One live proposal per organisation and challenge: point to it rather than offer a form
    # whose saving would be refused.
    existing = (
        proposal_list_of_member_organisations(request.user)
        .filter(challenge=challenge, organisation=organisation, status__in=Proposal.LIVE_STATUSES)
        .first()
    )
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        organisation=organisation,
        with_attachments=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            proposal = proposal_create(
                actor=request.user,
                challenge=challenge,
                organisation=organisation,
                **form.cleaned_data,
            )
        except (ServiceError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "message", str(error)))
        else:
            messages.success(
                request, _("提案を下書きとして保存しました。内容を確認して提出してください。")
            )
            return redirect("forum:proposal_detail", pk=proposal.pk)
    return render(
        request,
        "forum/proposal_form.html",
        {
            "form": form,
            "challenge": challenge,
            "organisations": organisations,
            "organisation": organisation,
            "existing": existing,
        },
    )


@login_required
def proposal_list(request):
    """The member's proposals."""
    proposals = proposal_list_own(request.user)
    return render(
        request,
        "forum/proposal_list.html",
        {
            "proposals": proposals.order_by("-updated_at"),
            "reviews": bool(municipality_ids_reviewed_by(request.user)),
        },
    )


@login_required
def proposal_detail(request, pk: int):
    """One proposal: content, history, messages, attachments and the actions the user may take."""
    proposal, role = _get(request.user, pk)
    evaluated = criterion_list_for_challenge(proposal.challenge).exists()
    allowed = proposal_actions(role, proposal.status, evaluated=evaluated)
    return render(
        request,
        "forum/proposal_detail.html",
        {
            "proposal": proposal,
            "role": role,
            "actions": allowed,
            "decided_by_selection": evaluated and role == REVIEWER,
            "is_editable": proposal_is_editable(proposal.status),
            "events": proposal.events.select_related("actor"),
            "thread": proposal.messages.select_related("author"),
            "attachments": proposal.attachments.all(),
            "message_form": MessageForm() if role in (PROPOSER, REVIEWER) else None,
            "attachment_form": AttachmentForm()
            if role == PROPOSER and proposal_is_editable(proposal.status)
            else None,
            "decision_form": DecisionForm(),
            "joinable_projects": project_list_joinable(request.user, proposal)
            if "accept" in allowed
            else [],
            "partners": proposal_partner_list(proposal),
            "partner_form": PartnerForm(exclude=proposal.organisation_id)
            if role == PROPOSER and proposal_is_editable(proposal.status)
            else None,
            "project_link": ProjectProposal.objects.filter(proposal=proposal)
            .select_related("project")
            .first(),
        },
    )


@login_required
def proposal_edit_view(request, pk: int):
    """Edit a draft proposal."""
    proposal, role = _get(request.user, pk)
    if role != PROPOSER:
        raise Http404
    form = ProposalForm(request.POST or None, instance=proposal, organisation=proposal.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            proposal_update(actor=request.user, proposal=proposal, **form.cleaned_data)
        except (ServiceError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "message", str(error)))
        else:
            messages.success(request, _("提案を保存しました。"))
            return redirect("forum:proposal_detail", pk=pk)
    return render(
        request,
        "forum/proposal_form.html",
        {"form": form, "proposal": proposal, "challenge": proposal.challenge},
    )


def _tell_action_done(request, proposal: Proposal, *, action: str, changed: bool) -> None:
    """The message after an action: the new status (and the project an accept led to), or that
    the proposal was already there."""
    if not changed:
        messages.info(
            request,
            _("この提案はすでに「%(status)s」です。") % {"status": proposal.get_status_display()},
        )
        return
    messages.success(
        request,
        _("提案の状況を「%(status)s」にしました。") % {"status": proposal.get_status_display()},
    )
    link = ProjectProposal.objects.filter(proposal=proposal).select_related("project")
    if action == "accept" and link.exists():
        messages.info(
            request,
            _("プロジェクト「%(title)s」で進めます。プロジェクトのページから進捗を管理できます。")
            % {"title": link.first().project.title},
        )


@login_required
@require_POST
def proposal_action_view(request, pk: int, action: str):
    """Submit, withdraw, review, shortlist, accept or decline."""
    proposal, role = _get(request.user, pk)
    if action not in TRANSITIONS:
        raise Http404
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    project_id = request.POST.get("project", "")
    project_id = int(project_id) if action == "accept" and project_id.isdigit() else None
    try:
        changed = proposal_transition(
            actor=request.user, proposal=proposal, action=action, note=note, project_id=project_id
        )
    except PermissionDenied:
        return render(
            request, "403.html", {"message": _("この操作を行う権限がありません。")}, status=403
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        proposal.refresh_from_db()
        _tell_action_done(request, proposal, action=action, changed=changed)
    return redirect("forum:proposal_detail", pk=pk)


@login_required
@require_POST
def proposal_message_view(request, pk: int):
    """Post a message to the proposal's thread."""
    proposal, role = _get(request.user, pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("メッセージを入力してください（5,000文字以内）。"))
        return redirect("forum:proposal_detail", pk=pk)
    try:
        proposal_message_post(actor=request.user, proposal=proposal, body=form.cleaned_data["body"])
    except PermissionDenied:
        return render(
            request,
            "403.html",
            {"message": _("このやりとりに投稿する権限がありません。")},
            status=403,
        )
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(f"{proposal_detail_url(pk)}#messages")


def proposal_detail_url(pk: int) -> str:
    return reverse("forum:proposal_detail", args=[pk])


@login_required
@require_POST
def proposal_attachment_upload(request, pk: int):
    """Attach a file to a draft proposal."""
    proposal, role = _get(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("添付するファイルを選択してください。"))
        return redirect("forum:proposal_detail", pk=pk)
    try:
        proposal_attachment_add(
            actor=request.user, proposal=proposal, upload=form.cleaned_data["file"]
        )
    except PermissionDenied:
        return render(
            request,
            "403.html",
            {"message": _("この提案に資料を添付する権限がありません。")},
            status=403,
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("資料を添付しました。"))
    return redirect("forum:proposal_detail", pk=pk)


@login_required
def proposal_attachment_download(request, pk: int, attachment_id: int):
    """Serve a proposal's file to those who may see the proposal, never from a public URL."""
    proposal, _role = _get(request.user, pk)
    attachment = get_object_or_404(ProposalAttachment, pk=attachment_id, proposal=proposal)
    return private_file_response(attachment)


@login_required
def review_list(request):
    """The municipality's challenges with the proposals each received."""
    if not municipality_ids_reviewed_by(request.user) and not user_is_secretariat(request.user):
        raise Http404
    return render(
        request, "forum/review_list.html", {"challenges": challenge_list_for_review(request.user)}
    )


@login_required
def review_challenge(request, challenge_id: int):
    """Proposals to one challenge, with a side-by-side comparison of the ones ticked."""
    challenge = get_object_or_404(Challenge, pk=challenge_id)
    if challenge.municipality_id not in municipality_ids_reviewed_by(
        request.user
    ) and not user_is_secretariat(request.user):
        raise Http404
    proposals = list(proposal_list_for_review(request.user, challenge_id))
    wanted = {value for value in request.GET.getlist("compare") if value.isdigit()}
    compared = [p for p in proposals if str(p.pk) in wanted]
    return render(
        request,
        "forum/review_challenge.html",
        {"challenge": challenge, "proposals": proposals, "compared": compared},
    )


@login_required
def notification_settings(request):
    """Choose immediate emails or a daily digest, and the language of notifications."""
    preference = NotificationPreference.objects.filter(user=request.user).first()
    form = NotificationPreferenceForm(
        request.POST or None, instance=preference or NotificationPreference(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        notification_preference_update(
            user=request.user,
            email_mode=form.cleaned_data["email_mode"],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("通知の設定を保存しました。"))
        return redirect("forum:notification_settings")
    return render(request, "forum/notification_settings.html", {"form": form})


@login_required
@require_POST
def proposal_partner_invite_view(request, pk: int):
    """The lead invites a co-proposer organisation to its draft."""
    proposal, role = _get(request.user, pk)
    form = PartnerForm(request.POST, exclude=proposal.organisation_id)
    if not form.is_valid():
        messages.error(request, _("招待する団体を選んでください。"))
        return redirect("forum:proposal_detail", pk=pk)
    try:
        proposal_partner_invite(
            actor=request.user, proposal=proposal, organisation=form.cleaned_data["organisation"]
        )
    except PermissionDenied:
        return render(
            request, "403.html", {"message": _("この操作を行う権限がありません。")}, status=403
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("共同提案への参加を依頼しました。"))
    return redirect("forum:proposal_detail", pk=pk)


@login_required
def proposal_partner_view(request, partner_id: int):
    """An invited organisation's member reads the request and accepts or declines it."""
    partner = proposal_partner_get_for_user(request.user, partner_id)
    if partner is None:
        raise Http404
    if request.method == "POST":
        accept = request.POST.get("answer") == "accept"
        try:
            proposal_partner_answer(actor=request.user, partner=partner, accept=accept)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            if accept:
                messages.success(request, _("共同提案団体として参加しました。"))
                return redirect("forum:proposal_detail", pk=partner.proposal_id)
            messages.info(request, _("共同提案への参加を辞退しました。"))
            return redirect("forum:proposal_list")
    return render(request, "forum/proposal_partner.html", {"partner": partner})
