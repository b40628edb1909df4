"""Proposals: drafting, submitting, review by the municipality, messages and attachments.

Who may do what is one table, TRANSITIONS in forum.rules.proposals; every change is recorded
as a ProposalEvent.
"""

from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from forum.models import (
    Challenge,
    Membership,
    Organisation,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
    ProposalMessage,
    ProposalPartner,
    SolutionProfile,
)
from forum.rules.calls import call_intake_refusal
from forum.rules.proposals import (
    DECIDED_BY_SELECTION,
    MAX_ATTACHMENTS,
    PROPOSER,
    REVIEWER,
    TRANSITIONS,
    proposal_is_editable,
)
from forum.selectors.proposals import proposal_role
from forum.selectors.roles import user_can_act_for
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.files import attachment_add, upload_validate
from forum.services.notifications import notification_send
from forum.services.projects.lifecycle import project_open_for_proposal
from forum.services.text import clean_text
from forum.signals import proposal_accepted

S = Proposal.Status


def _refuse_if_closed(challenge: Challenge) -> None:
    if not challenge.is_published:
        raise ServiceError(_("この課題は公開されていません。"))
    if challenge.status != Challenge.Status.OPEN:
        raise ServiceError(_("この課題の募集は終了しています。提案できません。"))
    if challenge.deadline is not None and challenge.deadline < timezone.localdate():
        raise ServiceError(
            _("募集締切（%(date)s）を過ぎているため提案できません。")
            % {"date": date_format(challenge.deadline)}
        )
    refusal = call_intake_refusal(challenge.call, today=timezone.localdate())
    if refusal:
        raise ServiceError(refusal, code="deadline")


def _is_live_on(organisation: Organisation, challenge: Challenge) -> bool:
    """Whether the organisation has a live proposal to the challenge, as lead or co-proposer."""
    live = Proposal.objects.filter(challenge=challenge, status__in=Proposal.LIVE_STATUSES)
    return (
        live.filter(organisation=organisation).exists()
        or ProposalPartner.objects.filter(
            proposal__in=live, organisation=organisation, status=ProposalPartner.Status.ACCEPTED
        ).exists()
    )


def _check_solution(solution: SolutionProfile | None, organisation: Organisation) -> None:
    if solution is not None and solution.organisation_id != organisation.pk:
        raise ServiceError(_("選択したソリューションはこの団体のものではありません。"))


@transaction.atomic
def proposal_create(
    *,
    actor,
    challenge: Challenge,
    organisation: Organisation,
    title: str,
    summary: str,
    approach: str = "",
    schedule: str = "",
    cost_estimate: int | None = None,
    solution: SolutionProfile | None = None,
    attachments: Sequence = (),
) -> Proposal:
    """Start a draft proposal for an approved organisation; one live proposal per challenge.

    Files given with the first form are attached in the same transaction: a refused file
    leaves no half-made draft behind.
    """
    if not user_can_act_for(actor, organisation):
        raise PermissionDenied(_("承認済みの所属団体としてのみ提案できます。"))
    if organisation.kind in (Organisation.Kind.MUNICIPALITY, Organisation.Kind.SECRETARIAT):
        raise ServiceError(_("市町村・事務局の団体は提案できません。"))
    Challenge.objects.select_for_update().get(pk=challenge.pk)
    _refuse_if_closed(challenge)
    _check_solution(solution, organisation)
    _check_first_files(attachments)
    if _is_live_on(organisation, challenge):
        raise ServiceError(
            _("この課題には、すでにこの団体の提案があります。既存の提案を編集してください。"),
            code="duplicate",
        )
    proposal = Proposal.objects.create(
        challenge=challenge,
        organisation=organisation,
        solution=solution,
        title=clean_text(title, label=_("提案名"), limit=200, required=True),
        summary=clean_text(summary, label=_("提案の概要"), limit=2000, required=True),
        approach=clean_text(approach, label=_("実施内容・方法"), limit=10000),
        schedule=clean_text(schedule, label=_("スケジュール"), limit=3000),
        cost_estimate=cost_estimate,
        created_by=actor,
    )
    ProposalEvent.objects.create(proposal=proposal, actor=actor, from_status="", to_status=S.DRAFT)
    for upload in attachments:
        attachment_add(
            proposal.attachments,
            upload=upload,
            actor=actor,
            limit=MAX_ATTACHMENTS,
            full=_("添付できる資料は%(n)s件までです。"),
        )
    return proposal


def _check_first_files(uploads: Sequence) -> None:
    """Refuse the first form's files before anything is written, naming the file at fault."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise ServiceError(_("添付できる資料は%(n)s件までです。") % {"n": MAX_ATTACHMENTS})
    for upload in uploads:
        try:
            upload_validate(upload)
        except ServiceError as error:
            raise ServiceError(
                _("「%(name)s」: %(message)s") % {"name": upload.name, "message": error.message}
            ) from error


@transaction.atomic
def proposal_update(*, actor, proposal: Proposal, **fields) -> Proposal:
    """Edit a draft; submitted proposals are fixed."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal_role(actor, proposal) != PROPOSER:
        raise PermissionDenied(_("この提案を編集する権限がありません。"))
    if not proposal_is_editable(proposal.status):
        raise ServiceError(_("提出済みの提案は編集できません。"))
    limits = {
        "title": (_("提案名"), 200, True),
        "summary": (_("提案の概要"), 2000, True),
        "approach": (_("実施内容・方法"), 10000, False),
        "schedule": (_("スケジュール"), 3000, False),
    }
    for name, (label, limit, required) in limits.items():
        if name in fields:
            setattr(
                proposal,
                name,
                clean_text(fields[name], label=label, limit=limit, required=required),
            )
    if "cost_estimate" in fields:
        proposal.cost_estimate = fields["cost_estimate"]
    if "solution" in fields:
        _check_solution(fields["solution"], proposal.organisation)
        proposal.solution = fields["solution"]
    proposal.save()
    return proposal


def _refuse_if_evaluated(proposal: Proposal, action: str) -> None:
    """On a challenge with evaluation criteria only the panel's decision accepts or declines."""
    if action in DECIDED_BY_SELECTION and proposal.challenge.criteria.exists():
        raise ServiceError(
            _(
                "この課題は評価基準による審査の対象です。採択・不採択は審査結果の決定"
                "（選定）で行ってください。"
            ),
            code="decided_by_selection",
        )


def _prepare_action(proposal: Proposal, action: str, note: str, *, by_selection: bool) -> None:
    """What an action needs besides the status: an open challenge to submit, a reason to decline,
    and on an evaluated challenge the panel's decision to accept or decline."""
    if not by_selection:
        _refuse_if_evaluated(proposal, action)
    if action == "submit":
        _refuse_if_closed(proposal.challenge)
        proposal.submitted_at = timezone.now()
    if action == "decline":
        if not note:
            raise ServiceError(_("不採択の理由を入力してください。"))
        proposal.decline_reason = note[:5000]


def proposal_transition(
    *, actor, proposal: Proposal, action: str, note: str = "", project_id: int | None = None
) -> bool:
    """Move a proposal by one named action; returns False when it is already where the action leads.

    Accepting opens a project, or adds the proposal to the reviewer's project ``project_id``,
    in the same transaction, while the proposal row is locked. On a challenge under evaluation
    (it has criteria) accepting and declining are refused: the selection decision takes them.
    """
    return _transition(
        actor=actor,
        proposal=proposal,
        action=action,
        note=note,
        project_id=project_id,
        by_selection=False,
    )


def proposal_transition_by_selection(*, actor, proposal: Proposal, action: str, note: str = ""):
    """Move a proposal as the panel's recorded decision (accept, shortlist as reserve, decline);
    only ``selection_decide``, which checks the decider and records the decision, calls this."""
    return _transition(
        actor=actor, proposal=proposal, action=action, note=note, project_id=None, by_selection=True
    )


@transaction.atomic
def _transition(
    *, actor, proposal: Proposal, action: str, note: str, project_id: int | None, by_selection: bool
) -> bool:
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ServiceError(_("この操作はできません。"))
    proposal = (
        Proposal.objects.select_for_update()
        .select_related("challenge", "organisation")
        .get(pk=proposal.pk)
    )
    role = proposal_role(actor, proposal)
    if role != transition.side:
        raise PermissionDenied(_("この操作を行う権限がありません。"))
    if proposal.status == transition.target:
        return False  # a double click or a repeated request: nothing more to do
    if proposal.status not in transition.sources:
        raise ServiceError(
            _("「%(status)s」の提案にはこの操作はできません。")
            % {"status": proposal.get_status_display()}
        )
    note = (note or "").strip()
    _prepare_action(proposal, action, note, by_selection=by_selection)
    previous = proposal.status
    proposal.status = transition.target
    proposal.save()
    ProposalEvent.objects.create(
        proposal=proposal,
        actor=actor,
        from_status=previous,
        to_status=proposal.status,
        note=note[:5000],
    )
    audit_record(
        actor=actor,
        verb=f"proposal.{action}",
        target=proposal,
        from_status=previous,
        to_status=proposal.status,
    )
    if action == "accept":
        project_open_for_proposal(actor=actor, proposal=proposal, project_id=project_id)
    _notify_transition(proposal, action, actor)
    if action == "accept":
        proposal_accepted.send(sender=Proposal, proposal_id=proposal.pk, actor_id=actor.pk)
    return True


def _members(organisation_id: int):
    return [
        m.user
        for m in Membership.objects.filter(organisation_id=organisation_id).select_related("user")
    ]


def _reviewers(challenge: Challenge):
    return [
        m.user
        for m in Membership.objects.filter(
            organisation__municipality_id=challenge.municipality_id,
            organisation__kind=Organisation.Kind.MUNICIPALITY,
            organisation__status=Organisation.Status.APPROVED,
        ).select_related("user")
    ]


def _notify_transition(proposal: Proposal, action: str, actor) -> None:
    url = reverse("forum:proposal_detail", args=[proposal.pk])
    if action == "submit":
        notification_send(
            recipients=_reviewers(proposal.challenge),
            verb="proposal.received",
            title=lambda: (
                _("課題「%(challenge)s」に提案が届きました")
                % {"challenge": proposal.challenge.title}
            ),
            body=lambda: (
                _("%(organisation)s: %(title)s")
                % {"organisation": proposal.organisation.name, "title": proposal.title}
            ),
            url=url,
        )
        return
    if action == "withdraw":
        if proposal.submitted_at:
            notification_send(
                recipients=_reviewers(proposal.challenge),
                verb="proposal.withdrawn",
                title=lambda: (
                    _("提案「%(title)s」が取り下げられました") % {"title": proposal.title}
                ),
                url=url,
            )
        return
    reason = proposal.decline_reason if action == "decline" else ""
    notification_send(
        recipients=_members(proposal.organisation_id),
        verb="proposal.status_changed",
        title=lambda: (
            _("提案「%(title)s」の状況が「%(status)s」になりました")
            % {"title": proposal.title, "status": proposal.get_status_display()}
        ),
        body=lambda: _("理由: %(reason)s") % {"reason": reason} if reason else "",
        url=url,
    )


@transaction.atomic
def proposal_message_post(*, actor, proposal: Proposal, body: str) -> ProposalMessage:
    """Post to the thread; the secretariat reads but does not write."""
    proposal = Proposal.objects.select_related("challenge", "organisation").get(pk=proposal.pk)
    role = proposal_role(actor, proposal)
    if role not in (PROPOSER, REVIEWER):
        raise PermissionDenied(_("このやりとりに投稿する権限がありません。"))
    body = clean_text(body, label=_("メッセージ"), limit=5000, required=True)
    message = ProposalMessage.objects.create(proposal=proposal, author=actor, side=role, body=body)
    recipients = (
        _reviewers(proposal.challenge) if role == PROPOSER else _members(proposal.organisation_id)
    )
    notification_send(
        recipients=[u for u in recipients if u.pk != actor.pk],
        verb="proposal.message",
        title=lambda: (
            _("提案「%(title)s」に新しいメッセージがあります") % {"title": proposal.title}
        ),
        body=body[:300],
        url=reverse("forum:proposal_detail", args=[proposal.pk]) + "#messages",
    )
    return message


@transaction.atomic
def proposal_attachment_add(*, actor, proposal: Proposal, upload) -> ProposalAttachment:
    """Attach a checked file to a draft proposal."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal_role(actor, proposal) != PROPOSER:
        raise PermissionDenied(_("この提案に資料を添付する権限がありません。"))
    if not proposal_is_editable(proposal.status):
        raise ServiceError(_("提出済みの提案には資料を追加できません。"))
    return attachment_add(
        proposal.attachments,
        upload=upload,
        actor=actor,
        limit=MAX_ATTACHMENTS,
        full=_("添付できる資料は%(n)s件までです。"),
    )


@transaction.atomic
def proposal_partner_invite(
    *, actor, proposal: Proposal, organisation: Organisation
) -> ProposalPartner:
    """The lead organisation invites a co-proposer organisation to its draft (共同提案)."""
    proposal = Proposal.objects.select_for_update().select_related("challenge").get(pk=proposal.pk)
    if not user_can_act_for(actor, proposal.organisation):
        raise PermissionDenied(_("共同提案団体を招待できるのは提案の代表団体のみです。"))
    if not proposal_is_editable(proposal.status):
        raise ServiceError(_("共同提案団体は下書きのうちに招待してください。"))
    if (
        organisation.pk == proposal.organisation_id
        or not organisation.is_approved
        or organisation.kind in (Organisation.Kind.MUNICIPALITY, Organisation.Kind.SECRETARIAT)
    ):
        raise ServiceError(_("この団体は共同提案団体に招待できません。"))
    if proposal.partners.filter(organisation=organisation).exists():
        raise ServiceError(_("この団体はすでに招待しています。"), code="duplicate")
    partner = ProposalPartner.objects.create(
        proposal=proposal, organisation=organisation, invited_by=actor
    )
    audit_record(
        actor=actor, verb="proposal.partner_invited", target=proposal, organisation=organisation.pk
    )
    notification_send(
        recipients=_members(organisation.pk),
        verb="proposal.partner_invited",
        title=lambda: (
            _("「%(lead)s」から共同提案への参加依頼が届きました")
            % {"lead": proposal.organisation.name}
        ),
        body=lambda: (
            _("課題「%(challenge)s」への提案「%(title)s」")
            % {
                "challenge": proposal.challenge.title,
                "title": proposal.title,
            }
        ),
        url=reverse("forum:proposal_partner", args=[partner.pk]),
    )
    return partner


@transaction.atomic
def proposal_partner_answer(*, actor, partner: ProposalPartner, accept: bool) -> ProposalPartner:
    """A member of the invited organisation joins the draft as co-proposer, or declines."""
    partner = (
        ProposalPartner.objects.select_for_update()
        .select_related("proposal__challenge", "proposal__organisation", "organisation")
        .get(pk=partner.pk)
    )
    if not user_can_act_for(actor, partner.organisation):
        raise PermissionDenied(_("この依頼に回答できるのは招待された団体のメンバーのみです。"))
    if partner.status != ProposalPartner.Status.INVITED:
        raise ServiceError(_("この依頼にはすでに回答済みです。"), code="answered")
    proposal = partner.proposal
    if accept:
        if not proposal_is_editable(proposal.status):
            raise ServiceError(_("提出済みの提案には共同提案団体として加われません。"))
        if _is_live_on(partner.organisation, proposal.challenge):
            raise ServiceError(
                _(
                    "この団体はすでにこの課題に提案しています。1つの課題に提案できるのは1件までです。"
                ),
                code="duplicate",
            )
    partner.status = ProposalPartner.Status.ACCEPTED if accept else ProposalPartner.Status.DECLINED
    partner.answered_by = actor
    partner.answered_at = timezone.now()
    partner.save(update_fields=["status", "answered_by", "answered_at"])
    audit_record(
        actor=actor,
        verb=f"proposal.partner_{partner.status}",
        target=proposal,
        organisation=partner.organisation_id,
    )
    notification_send(
        recipients=_members(proposal.organisation_id),
        verb=f"proposal.partner_{partner.status}",
        title=lambda: (
            (
                _("「%(name)s」が共同提案への参加を承諾しました")
                if accept
                else _("「%(name)s」は共同提案への参加を辞退しました")
            )
            % {"name": partner.organisation.name}
        ),
        url=reverse("forum:proposal_detail", args=[proposal.pk]),
    )
    return partner
