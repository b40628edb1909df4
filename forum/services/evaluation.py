"""Evaluating a challenge's proposals: criteria, the panel and its invitations, declarations
of conflicts of interest, reviews, the final decision with feedback, and the public result.

Every write locks the challenge's Selection row, so a decision and a late score cannot cross.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import (
    Challenge,
    ConflictDeclaration,
    Criterion,
    Membership,
    Organisation,
    PanelMember,
    Proposal,
    ProposalDecision,
    Review,
    ReviewScore,
    Selection,
)
from forum.rules.evaluation import MAX_CRITERIA, criteria_are_editable, score_is_on_scale
from forum.selectors.evaluation import (
    evaluation_bands,
    evaluation_comparison,
    proposal_get_for_panel_member,
    user_can_decide_selection,
    user_can_manage_evaluation,
)
from forum.selectors.proposals import municipality_ids_reviewed_by
from forum.selectors.roles import user_is_secretariat
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.notifications import EmailNotSent, email_send, notification_send
from forum.services.proposals import proposal_transition_by_selection
from forum.services.text import clean_text
from forum.signals import challenge_changed, panel_invitation_created

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CriterionInput:
    """One criterion as a form sends it."""

    name: str
    weight: int
    description: str = ""


@dataclass(frozen=True)
class DecisionInput:
    """The decision on one proposal as a form sends it."""

    outcome: str
    reason: str
    feedback_note: str = ""


def _locked_selection(challenge: Challenge) -> Selection:
    Selection.objects.get_or_create(challenge=challenge)
    return (
        Selection.objects.select_for_update().select_related("challenge").get(challenge=challenge)
    )


def _require_manager(actor, challenge: Challenge) -> None:
    if not user_can_manage_evaluation(actor, challenge):
        raise PermissionDenied(_("この課題の審査を管理する権限がありません。"))


def _refuse_if_decided(selection: Selection) -> None:
    if selection.is_decided:
        raise ServiceError(_("選定結果が決定済みのため、変更できません。"), code="decided")


def _clean_criteria(criteria: list[CriterionInput]) -> list[CriterionInput]:
    if not criteria:
        raise ServiceError(_("評価基準を1つ以上入力してください。"))
    if len(criteria) > MAX_CRITERIA:
        raise ServiceError(_("評価基準は%(n)s件までです。") % {"n": MAX_CRITERIA})
    cleaned = []
    for item in criteria:
        name = clean_text(item.name, label=_("評価基準"), limit=100, required=True)
        if not isinstance(item.weight, int) or not 1 <= item.weight <= 100:
            raise ServiceError(
                _("「%(name)s」の配点は1〜100の整数で入力してください。") % {"name": name}
            )
        description = clean_text(item.description, label=_("説明"), limit=1000)
        cleaned.append(CriterionInput(name=name, weight=item.weight, description=description))
    if len({c.name for c in cleaned}) != len(cleaned):
        raise ServiceError(_("同じ名前の評価基準が複数あります。"))
    return cleaned


@transaction.atomic
def criteria_set(
    *,
    actor,
    challenge: Challenge,
    criteria: list[CriterionInput],
    scale_min: int = 1,
    scale_max: int = 5,
) -> list[Criterion]:
    """Replace the challenge's criteria and scale; only before intake closes."""
    _require_manager(actor, challenge)
    selection = _locked_selection(challenge)
    if not criteria_are_editable(selection.challenge, decided=selection.is_decided):
        raise ServiceError(
            _("募集が終了した課題の評価基準は変更できません。"), code="intake_closed"
        )
    if not (1 <= scale_min < scale_max <= 10):
        raise ServiceError(_("評点の範囲は、最小値＜最大値（1〜10）で指定してください。"))
    cleaned = _clean_criteria(criteria)
    selection.scale_min, selection.scale_max = scale_min, scale_max
    selection.save(update_fields=["scale_min", "scale_max"])
    Criterion.objects.filter(challenge=challenge).delete()
    created = Criterion.objects.bulk_create(
        Criterion(
            challenge=challenge,
            name=c.name,
            weight=c.weight,
            description=c.description,
            position=i,
        )
        for i, c in enumerate(cleaned)
    )
    audit_record(
        actor=actor,
        verb="evaluation.criteria_set",
        target=challenge,
        criteria=[{"name": c.name, "weight": c.weight} for c in cleaned],
        scale=[scale_min, scale_max],
    )
    return created


def _internal_kind(user, challenge: Challenge) -> str:
    if challenge.municipality_id in municipality_ids_reviewed_by(user):
        return PanelMember.Kind.MUNICIPALITY
    if user_is_secretariat(user):
        return PanelMember.Kind.SECRETARIAT
    raise ServiceError(
        _(
            "審査員に加えられるのは、この市町村の職員か事務局です。"
            "それ以外の方は外部評価者として招待してください。"
        )
    )


@transaction.atomic
def panel_member_add(*, actor, challenge: Challenge, user) -> PanelMember:
    """Seat the municipality's staff member or a secretariat member on the panel."""
    _require_manager(actor, challenge)
    selection = _locked_selection(challenge)
    _refuse_if_decided(selection)
    kind = _internal_kind(user, challenge)
    if _seated(challenge.pk).filter(user=user).exists():
        raise ServiceError(_("この方はすでに審査員です。"), code="duplicate")
    member = PanelMember.objects.create(
        challenge=challenge,
        user=user,
        kind=kind,
        email=user.email,
        invited_by=actor,
        accepted_at=timezone.now(),
    )
    audit_record(actor=actor, verb="evaluation.panel_member_added", target=member, kind=kind)
    return member


def _seated(challenge_id: int):
    """The challenge's panel as it stands: members and invitations not removed."""
    return PanelMember.objects.filter(challenge_id=challenge_id, removed_at__isnull=True)


@transaction.atomic
def panel_member_remove(*, actor, member: PanelMember, reason: str) -> PanelMember:
    """Take a member off the panel, or withdraw an invitation, before the decision.

    The seat stays on record with the reason; the member's scores and declarations no longer
    count in the comparison, and an invitation link stops working.
    """
    _require_manager(actor, member.challenge)
    selection = _locked_selection(member.challenge)
    _refuse_if_decided(selection)
    member = PanelMember.objects.select_for_update().get(pk=member.pk)
    if member.is_removed:
        raise ServiceError(_("この審査員はすでに外されています。"), code="removed")
    member.removal_reason = clean_text(reason, label=_("理由"), limit=2000, required=True)
    member.removed_at = timezone.now()
    member.removed_by = actor
    member.save(update_fields=["removal_reason", "removed_at", "removed_by"])
    audit_record(
        actor=actor,
        verb="evaluation.panel_member_removed",
        target=member,
        reason=member.removal_reason,
        accepted=member.accepted_at is not None,
    )
    return member


def _proposals_of(challenge: Challenge, proposals) -> list[Proposal]:
    proposals = list(proposals)
    if any(p.challenge_id != challenge.pk for p in proposals):
        raise ServiceError(_("この課題の提案だけを担当にできます。"))
    return proposals


@transaction.atomic
def panel_member_invite(*, actor, challenge: Challenge, email: str, proposals=()) -> PanelMember:
    """Invite an external evaluator by email; they see only the proposals assigned to them."""
    _require_manager(actor, challenge)
    selection = _locked_selection(challenge)
    _refuse_if_decided(selection)
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254:
        raise ServiceError(_("メールアドレスを正しく入力してください。"))
    if _seated(challenge.pk).filter(email__iexact=email).exists():
        raise ServiceError(_("このメールアドレスはすでに審査員として登録されています。"))
    member = PanelMember.objects.create(
        challenge=challenge, kind=PanelMember.Kind.EXTERNAL, email=email, invited_by=actor
    )
    member.assigned_proposals.set(_proposals_of(challenge, proposals))
    audit_record(actor=actor, verb="evaluation.panel_member_invited", target=member, email=email)
    panel_invitation_created.send(sender=PanelMember, panel_member_id=member.pk)
    return member


@transaction.atomic
def panel_assignment_set(*, actor, member: PanelMember, proposals) -> PanelMember:
    """Choose which proposals an external evaluator sees and scores."""
    _require_manager(actor, member.challenge)
    selection = _locked_selection(member.challenge)
    _refuse_if_decided(selection)
    if member.kind != PanelMember.Kind.EXTERNAL:
        raise ServiceError(_("担当の指定は外部評価者のみです。"))
    proposals = _proposals_of(member.challenge, proposals)
    member.assigned_proposals.set(proposals)
    audit_record(
        actor=actor,
        verb="evaluation.panel_assignment_set",
        target=member,
        proposals=[p.pk for p in proposals],
    )
    return member


@transaction.atomic
def panel_invitation_accept(*, user, token: str) -> PanelMember:
    """Take the seat an invitation offers, signed in with the invited address."""
    member = PanelMember.objects.select_for_update().filter(token=token).first()
    if member is None or member.kind != PanelMember.Kind.EXTERNAL:
        raise ServiceError(_("この招待リンクは無効です。"), code="invalid")
    if member.is_removed:
        raise ServiceError(_("この招待は取り消されました。"), code="revoked")
    if member.accepted_at is not None:
        if member.user_id == user.pk:
            return member
        raise ServiceError(_("この招待はすでに使用されています。"), code="used")
    if member.expires_at <= timezone.now():
        raise ServiceError(_("この招待リンクの有効期限が切れています。"), code="expired")
    if user.email.lower() != member.email.lower():
        raise ServiceError(
            _("この招待は %(email)s 宛てです。招待されたメールアドレスでログインしてください。")
            % {"email": member.email},
            code="wrong_user",
        )
    if _seated(member.challenge_id).filter(user=user).exists():
        raise ServiceError(_("この方はすでに審査員です。"), code="duplicate")
    member.user = user
    member.accepted_at = timezone.now()
    member.save(update_fields=["user", "accepted_at"])
    audit_record(actor=user, verb="evaluation.panel_invitation_accepted", target=member)
    return member


def panel_invitation_email_deliver(*, panel_member_id: int) -> bool:
    """Mail an evaluator's invitation link; False once accepted. Raises EmailNotSent."""
    member = (
        PanelMember.objects.select_related("challenge", "invited_by")
        .filter(pk=panel_member_id, accepted_at__isnull=True, removed_at__isnull=True)
        .first()
    )
    if member is None:
        return False
    context = {
        "member": member,
        "accept_url": settings.SITE_URL
        + reverse("forum:panel_invitation_accept", args=[member.token]),
    }
    try:
        email_send(
            to=member.email,
            subject=_("課題「%(title)s」の審査への依頼") % {"title": member.challenge.title},
            template="forum/email/panel_invitation.txt",
            context=context,
        )
    except EmailNotSent as exc:
        logger.warning("Panel invitation email %s failed: %s", panel_member_id, exc)
        raise
    return True


def _seat_for_scoring(actor, proposal: Proposal) -> tuple[PanelMember, Selection]:
    """The actor's seat and the locked selection, or the reason they may not act on it."""
    selection = _locked_selection(proposal.challenge)
    member = _seated(proposal.challenge_id).filter(user=actor, accepted_at__isnull=False).first()
    if member is None or proposal_get_for_panel_member(member, proposal.pk) is None:
        raise PermissionDenied(_("この提案を審査する権限がありません。"))
    _refuse_if_decided(selection)
    return member, selection


@transaction.atomic
def conflict_declare(
    *, actor, proposal: Proposal, has_conflict: bool, note: str = ""
) -> ConflictDeclaration:
    """Declare once, before scoring, whether the member has a conflict of interest."""
    member, _selection = _seat_for_scoring(actor, proposal)
    if ConflictDeclaration.objects.filter(panel_member=member, proposal=proposal).exists():
        raise ServiceError(_("この提案についてはすでに申告済みです。"), code="duplicate")
    note = clean_text(note, label=_("補足"), limit=2000, required=has_conflict)
    declaration = ConflictDeclaration.objects.create(
        panel_member=member, proposal=proposal, has_conflict=has_conflict, note=note
    )
    audit_record(
        actor=actor,
        verb="evaluation.conflict_declared",
        target=proposal,
        panel_member=member.pk,
        has_conflict=has_conflict,
    )
    return declaration


def _check_values(values: dict[int, int], criteria: list[Criterion], selection: Selection):
    if not criteria:
        raise ServiceError(_("評価基準が設定されていないため、採点できません。"))
    wanted = {c.pk for c in criteria}
    if set(values) != wanted:
        raise ServiceError(_("すべての評価基準に評点を入力してください。"))
    for criterion in criteria:
        if not score_is_on_scale(values[criterion.pk], selection.scale_min, selection.scale_max):
            raise ServiceError(
                _("「%(name)s」の評点は%(low)s〜%(high)sの整数で入力してください。")
                % {"name": criterion.name, "low": selection.scale_min, "high": selection.scale_max}
            )


@transaction.atomic
def review_save(*, actor, proposal: Proposal, values: dict[int, int], note: str = "") -> Review:
    """Score a proposal on every criterion with a private note; after a no-conflict declaration."""
    member, selection = _seat_for_scoring(actor, proposal)
    declaration = ConflictDeclaration.objects.filter(panel_member=member, proposal=proposal).first()
    if declaration is None:
        raise ServiceError(_("採点の前に、利益相反の有無を申告してください。"), code="not_declared")
    if declaration.has_conflict:
        raise PermissionDenied(_("利益相反を申告した提案は採点できません。"))
    criteria = list(Criterion.objects.filter(challenge_id=proposal.challenge_id))
    _check_values(values, criteria, selection)
    note = clean_text(note, label=_("所見"), limit=5000)
    review, _created = Review.objects.update_or_create(
        panel_member=member, proposal=proposal, defaults={"note": note}
    )
    for criterion in criteria:
        ReviewScore.objects.update_or_create(
            review=review, criterion=criterion, defaults={"value": values[criterion.pk]}
        )
    audit_record(
        actor=actor,
        verb="evaluation.review_saved",
        target=proposal,
        panel_member=member.pk,
        values={str(pk): v for pk, v in values.items()},
    )
    return review


def _clean_decisions(
    proposals: list[Proposal], decisions: dict[int, DecisionInput]
) -> dict[int, DecisionInput]:
    if set(decisions) != {p.pk for p in proposals}:
        raise ServiceError(_("すべての提案について結果を選んでください。"))
    cleaned = {}
    for proposal in proposals:
        item = decisions[proposal.pk]
        if item.outcome not in ProposalDecision.Outcome.values:
            raise ServiceError(_("結果の値が正しくありません。"))
        reason = clean_text(item.reason, label=_("決定の理由"), limit=5000, required=True)
        chosen = item.outcome == ProposalDecision.Outcome.SELECTED
        note = clean_text(
            item.feedback_note, label=_("提案者へのコメント"), limit=5000, required=not chosen
        )
        cleaned[proposal.pk] = DecisionInput(item.outcome, reason, note)
    return cleaned


_ACTION = {
    ProposalDecision.Outcome.SELECTED: "accept",
    ProposalDecision.Outcome.RESERVE: "shortlist",
    ProposalDecision.Outcome.NOT_SELECTED: "decline",
}


def _members(organisation_id: int):
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=organisation_id, organisation__status=Organisation.Status.APPROVED
        ).select_related("user")
    ]


def _send_feedback(decision: ProposalDecision) -> None:
    proposal = decision.proposal
    notification_send(
        recipients=_members(proposal.organisation_id),
        verb="evaluation.feedback",
        title=lambda: (
            _("課題「%(challenge)s」の選定結果と評価のお知らせ")
            % {"challenge": proposal.challenge.title}
        ),
        body=lambda: (
            _(
                "提案「%(title)s」の結果: %(outcome)s。評価基準ごとの結果とコメントをご確認ください。"
            )
            % {"title": proposal.title, "outcome": decision.get_outcome_display()}
        ),
        url=reverse("forum:proposal_feedback", args=[proposal.pk]),
    )


@transaction.atomic
def selection_decide(
    *, actor, challenge: Challenge, decisions: dict[int, DecisionInput]
) -> list[ProposalDecision]:
    """Decide every evaluated proposal at once; final. Selected proposals are accepted (each
    opens its project), reserves shortlisted, the others declined; all not chosen get feedback."""
    if not user_can_decide_selection(actor, challenge):
        raise PermissionDenied(_("選定結果を決定できるのはこの課題の市町村の職員のみです。"))
    selection = _locked_selection(challenge)
    _refuse_if_decided(selection)
    comparison = evaluation_comparison(challenge)
    proposals = [
        r.proposal
        for r in comparison.rows
        if r.proposal.status not in (Proposal.Status.ACCEPTED, Proposal.Status.DECLINED)
    ]
    if not proposals:
        raise ServiceError(_("決定する提案がありません。"))
    cleaned = _clean_decisions(proposals, decisions)
    made = []
    for proposal in proposals:
        item = cleaned[proposal.pk]
        chosen = item.outcome == ProposalDecision.Outcome.SELECTED
        decision = ProposalDecision.objects.create(
            proposal=proposal,
            outcome=item.outcome,
            reason=item.reason,
            feedback_note=item.feedback_note,
            bands=[] if chosen else evaluation_bands(comparison, proposal.pk),
            decided_by=actor,
        )
        if proposal.status != Proposal.Status.SHORTLISTED or chosen:
            proposal_transition_by_selection(
                actor=actor,
                proposal=proposal,
                action=_ACTION[item.outcome],
                note=item.feedback_note,
            )
        audit_record(
            actor=actor,
            verb="evaluation.decided",
            target=proposal,
            outcome=item.outcome,
            reason=item.reason,
        )
        if not chosen:
            _send_feedback(decision)
        made.append(decision)
    selection.decided_at = timezone.now()
    selection.decided_by = actor
    selection.save(update_fields=["decided_at", "decided_by"])
    _close_intake(challenge)
    return made


def _close_intake(challenge: Challenge) -> None:
    """A decided challenge takes no more proposals: its record is closed at once, and its page
    reads the record's status."""
    closed = Challenge.objects.filter(pk=challenge.pk, status=Challenge.Status.OPEN).update(
        status=Challenge.Status.CLOSED, updated_at=timezone.now()
    )
    if closed:
        challenge_changed.send(sender=Challenge, instance_id=challenge.pk)


@transaction.atomic
def selection_publish(*, actor, challenge: Challenge, public_reasons: str) -> Selection:
    """Publish the decided result with its reasons: the selected, criteria, number received."""
    _require_manager(actor, challenge)
    selection = _locked_selection(challenge)
    if not selection.is_decided:
        raise ServiceError(_("選定結果が決定されるまで公表できません。"), code="not_decided")
    selection.public_reasons = clean_text(
        public_reasons, label=_("選定理由"), limit=5000, required=True
    )
    first = selection.published_at is None
    if first:
        selection.published_at = timezone.now()
        selection.published_by = actor
    selection.save(update_fields=["public_reasons", "published_at", "published_by"])
    audit_record(
        actor=actor,
        verb="evaluation.result_published" if first else "evaluation.result_updated",
        target=challenge,
    )
    return selection
