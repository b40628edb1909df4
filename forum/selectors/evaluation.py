"""Reads of a challenge's evaluation: who manages it, who sits on its panel and sees which
proposal, the comparison table (scores: managers only) and the public result (no scores)."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from forum.models import (
    Challenge,
    ConflictDeclaration,
    Criterion,
    PanelMember,
    Proposal,
    ProposalDecision,
    Review,
    Selection,
)
from forum.rules.evaluation import average, result_band, spread, weighted_total
from forum.rules.proposals import PROPOSER
from forum.selectors.proposals import municipality_ids_reviewed_by, proposal_role
from forum.selectors.roles import user_is_secretariat

# Proposals the panel evaluates: sent to the municipality and not taken back.
EVALUATED_STATUSES = (
    Proposal.Status.SUBMITTED,
    Proposal.Status.UNDER_REVIEW,
    Proposal.Status.SHORTLISTED,
    Proposal.Status.ACCEPTED,
    Proposal.Status.DECLINED,
)


def selection_for(challenge: Challenge) -> Selection:
    """The challenge's selection, or an unsaved one with the default scale (1–5)."""
    return Selection.objects.filter(challenge=challenge).first() or Selection(challenge=challenge)


def user_can_manage_evaluation(user, challenge: Challenge) -> bool:
    """The challenge's municipality staff and the secretariat set criteria, the panel, decide."""
    if not getattr(user, "is_authenticated", False):
        return False
    return challenge.municipality_id in municipality_ids_reviewed_by(user) or user_is_secretariat(
        user
    )


def user_can_decide_selection(user, challenge: Challenge) -> bool:
    """Only the challenge's municipality decides (it accepts the proposals it selects)."""
    return getattr(user, "is_authenticated", False) and (
        challenge.municipality_id in municipality_ids_reviewed_by(user)
    )


def criterion_list_for_challenge(challenge: Challenge) -> QuerySet[Criterion]:
    """The challenge's criteria in their order; public."""
    return Criterion.objects.filter(challenge=challenge).order_by("position", "pk")


def panel_member_list_for_challenge(challenge: Challenge) -> QuerySet[PanelMember]:
    """Everyone on the panel, invitations not yet accepted included; not those removed."""
    return (
        PanelMember.objects.filter(challenge=challenge, removed_at__isnull=True)
        .select_related("user")
        .prefetch_related("assigned_proposals")
    )


def panel_member_removed_list_for_challenge(challenge: Challenge) -> QuerySet[PanelMember]:
    """Members taken off the panel and withdrawn invitations, with who did it and why."""
    return (
        PanelMember.objects.filter(challenge=challenge, removed_at__isnull=False)
        .select_related("user", "removed_by")
        .order_by("removed_at", "pk")
    )


def panel_member_get_for_user(user, challenge_id: int) -> PanelMember | None:
    """The user's accepted seat on the challenge's panel, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        PanelMember.objects.filter(
            challenge_id=challenge_id, user=user, accepted_at__isnull=False, removed_at__isnull=True
        )
        .select_related("challenge")
        .first()
    )


def panel_member_list_for_user(user) -> QuerySet[PanelMember]:
    """The user's accepted seats on panels, newest challenge first."""
    if not getattr(user, "is_authenticated", False):
        return PanelMember.objects.none()
    return (
        PanelMember.objects.filter(user=user, accepted_at__isnull=False, removed_at__isnull=True)
        .select_related("challenge", "challenge__municipality")
        .order_by("-challenge__published_at")
    )


def proposal_list_for_panel_member(member: PanelMember) -> QuerySet[Proposal]:
    """What a panel member evaluates: every submitted proposal, or for an external evaluator
    only those assigned to them."""
    qs = Proposal.objects.filter(
        challenge_id=member.challenge_id, status__in=EVALUATED_STATUSES
    ).select_related("organisation", "challenge")
    if member.kind == PanelMember.Kind.EXTERNAL:
        qs = qs.filter(pk__in=member.assigned_proposals.values("pk"))
    return qs.order_by("submitted_at", "pk")


def proposal_get_for_panel_member(member: PanelMember, proposal_id: int) -> Proposal | None:
    """One proposal the panel member may evaluate, or None."""
    return proposal_list_for_panel_member(member).filter(pk=proposal_id).first()


def declaration_get(member: PanelMember, proposal: Proposal) -> ConflictDeclaration | None:
    """The member's declaration on the proposal, if made."""
    return ConflictDeclaration.objects.filter(panel_member=member, proposal=proposal).first()


def review_get(member: PanelMember, proposal: Proposal) -> Review | None:
    """The member's own review of the proposal with its scores, if any."""
    return (
        Review.objects.filter(panel_member=member, proposal=proposal)
        .prefetch_related("scores")
        .first()
    )


@dataclass
class ComparisonCell:
    """One member on one proposal: their scores by criterion and total, or why there are none."""

    member: PanelMember
    values: dict[int, int] = field(default_factory=dict)
    total: float | None = None
    note: str = ""
    conflict: bool = False
    assigned: bool = True
    ordered: list[tuple[str, int | None]] = field(default_factory=list)


@dataclass
class ComparisonRow:
    """One proposal across the panel."""

    proposal: Proposal
    cells: list[ComparisonCell]
    average: float | None
    spread: tuple[float, float, float] | None
    criterion_averages: dict[int, float | None]
    missing: list[PanelMember]
    decision: ProposalDecision | None


@dataclass
class Comparison:
    """The comparison table of a challenge (managers only: it holds every score and note)."""

    selection: Selection
    criteria: list[Criterion]
    members: list[PanelMember]
    rows: list[ComparisonRow]


def _cell(member, proposal, reviews, conflicts, criteria, scale_max) -> ComparisonCell:
    cell = ComparisonCell(member=member)
    if member.kind == PanelMember.Kind.EXTERNAL and proposal.pk not in {
        p.pk for p in member.assigned_proposals.all()
    }:
        cell.assigned = False
        return cell
    if (member.pk, proposal.pk) in conflicts:
        cell.conflict = True
        return cell
    review = reviews.get((member.pk, proposal.pk))
    if review is not None:
        cell.values = {s.criterion_id: s.value for s in review.scores.all()}
        cell.ordered = [(c.name, cell.values.get(c.pk)) for c in criteria]
        cell.total = weighted_total(cell.values, {c.pk: c.weight for c in criteria}, scale_max)
        cell.note = review.note
    return cell


def evaluation_comparison(challenge: Challenge) -> Comparison:
    """Weighted totals, each member's scores, the spread and who has not scored, per proposal."""
    selection = selection_for(challenge)
    criteria = list(criterion_list_for_challenge(challenge))
    members = [m for m in panel_member_list_for_challenge(challenge) if m.is_active]
    reviews = {
        (r.panel_member_id, r.proposal_id): r
        for r in Review.objects.filter(panel_member__challenge=challenge).prefetch_related("scores")
    }
    conflicts = set(
        ConflictDeclaration.objects.filter(
            panel_member__challenge=challenge, has_conflict=True
        ).values_list("panel_member_id", "proposal_id")
    )
    decisions = {
        d.proposal_id: d for d in ProposalDecision.objects.filter(proposal__challenge=challenge)
    }
    rows = []
    proposals = Proposal.objects.filter(
        challenge=challenge, status__in=EVALUATED_STATUSES
    ).select_related("organisation")
    for proposal in proposals.order_by("submitted_at", "pk"):
        cells = [
            _cell(m, proposal, reviews, conflicts, criteria, selection.scale_max) for m in members
        ]
        totals = [c.total for c in cells if c.total is not None]
        rows.append(
            ComparisonRow(
                proposal=proposal,
                cells=cells,
                average=average(totals),
                spread=spread(totals),
                criterion_averages={
                    c.pk: average([cell.values[c.pk] for cell in cells if c.pk in cell.values])
                    for c in criteria
                },
                missing=[
                    c.member for c in cells if c.assigned and not c.conflict and c.total is None
                ],
                decision=decisions.get(proposal.pk),
            )
        )
    rows.sort(key=lambda r: (r.average is None, -(r.average or 0)))
    return Comparison(selection=selection, criteria=criteria, members=members, rows=rows)


def evaluation_bands(comparison: Comparison, proposal_id: int) -> list[dict]:
    """The proposal's own band per criterion among all proposals' averages; never a score."""
    bands = []
    for criterion in comparison.criteria:
        averages = [
            r.criterion_averages[criterion.pk]
            for r in comparison.rows
            if r.criterion_averages[criterion.pk] is not None
        ]
        own = next(r for r in comparison.rows if r.proposal.pk == proposal_id)
        value = own.criterion_averages[criterion.pk]
        if value is None:
            continue
        bands.append(
            {
                "criterion": criterion.name,
                "weight": criterion.weight,
                "band": result_band(value, averages),
            }
        )
    return bands


def decision_get_for_proposer(user, proposal: Proposal) -> ProposalDecision | None:
    """The decision on a proposal as its own organisation may read it (feedback), else None."""
    if proposal_role(user, proposal) != PROPOSER:
        return None
    return ProposalDecision.objects.filter(proposal=proposal).first()


@dataclass
class PublicResult:
    """What everyone may read of a challenge's selection: never a score or a private note."""

    selection: Selection
    criteria: list[Criterion]
    received: int
    selected: list[dict]


def _organisation_names(proposal: Proposal) -> list[str]:
    """The lead organisation, then the accepted co-proposers."""
    partners = proposal.partners.filter(status="accepted").select_related("organisation")
    return [proposal.organisation.name] + [p.organisation.name for p in partners]


def selection_public_result(challenge: Challenge) -> PublicResult | None:
    """The published result of the challenge, or None before publication."""
    selection = Selection.objects.filter(challenge=challenge, published_at__isnull=False).first()
    if selection is None:
        return None
    chosen = ProposalDecision.objects.filter(
        proposal__challenge=challenge, outcome=ProposalDecision.Outcome.SELECTED
    ).select_related("proposal__organisation")
    selected = [
        {"title": d.proposal.title, "organisations": _organisation_names(d.proposal)}
        for d in chosen
    ]
    received = Proposal.objects.filter(challenge=challenge, submitted_at__isnull=False).count()
    return PublicResult(
        selection=selection,
        criteria=list(criterion_list_for_challenge(challenge)),
        received=received,
        selected=selected,
    )


def selection_list_published() -> QuerySet[Selection]:
    """Published results of published challenges, oldest publication first."""
    return (
        Selection.objects.filter(published_at__isnull=False, challenge__is_published=True)
        .select_related("challenge", "challenge__municipality")
        .order_by("published_at", "pk")
    )


def selection_last_published():
    """When a result was last published (or None)."""
    latest = selection_list_published().order_by("-published_at").first()
    return latest.published_at if latest else None
