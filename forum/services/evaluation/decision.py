"""The decision: outcomes with reasons, feedback to every proposer, intake closed, and the
result published with its public reasons."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Challenge, Membership, Organisation, Proposal, ProposalDecision, Selection
from forum.selectors.evaluation import (
    evaluation_bands,
    evaluation_comparison,
    user_can_decide_selection,
)
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.evaluation.common import (
    DecisionInput,
    locked_selection,
    refuse_if_decided,
    require_manager,
)
from forum.services.notifications import notification_send
from forum.services.proposals import proposal_transition_by_selection
from forum.services.text import clean_text
from forum.signals import challenge_changed


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
    selection = locked_selection(challenge)
    refuse_if_decided(selection)
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
    require_manager(actor, challenge)
    selection = locked_selection(challenge)
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
