"""Who may see which proposal, decided here once."""

from django.db.models import Count, Q, QuerySet

from forum.models import Challenge, Membership, Organisation, Proposal, ProposalPartner
from forum.rules.proposals import PROPOSER, REVIEWER, SECRETARIAT
from forum.selectors.roles import organisation_list_acting_for_user, user_is_secretariat


def _approved_memberships(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, organisation__status=Organisation.Status.APPROVED)


def municipality_ids_reviewed_by(user) -> list[int]:
    """Municipalities whose challenges the user reviews as staff."""
    if not user.is_authenticated:
        return []
    return list(
        _approved_memberships(user)
        .filter(organisation__kind=Organisation.Kind.MUNICIPALITY)
        .values_list("organisation__municipality_id", flat=True)
    )


def proposal_list_visible(user) -> QuerySet[Proposal]:
    """Proposals the user may see: their organisations', their municipality's, or all for the secretariat.

    The receiving municipality never sees drafts.
    """
    if not user.is_authenticated:
        return Proposal.objects.none()
    qs = Proposal.objects.select_related(
        "challenge", "challenge__municipality", "organisation", "solution"
    )
    if user_is_secretariat(user):
        return qs
    own = _approved_memberships(user).values("organisation_id")
    municipalities = municipality_ids_reviewed_by(user)
    return qs.filter(
        Q(organisation_id__in=own)
        | Q(pk__in=_partnered(own))
        | (Q(challenge__municipality_id__in=municipalities) & ~Q(status=Proposal.Status.DRAFT))
    )


def _partnered(organisation_ids) -> QuerySet:
    """Ids of the proposals these organisations have joined as co-proposers."""
    return ProposalPartner.objects.filter(
        organisation_id__in=organisation_ids, status=ProposalPartner.Status.ACCEPTED
    ).values("proposal_id")


def proposal_role(user, proposal: Proposal) -> str | None:
    """The user's side on this proposal: proposer (the lead's or an accepted co-proposer's
    member), reviewer, secretariat, or None."""
    if not user.is_authenticated:
        return None
    own = _approved_memberships(user).values("organisation_id")
    if own.filter(organisation_id=proposal.organisation_id).exists():
        return PROPOSER
    if _partnered(own).filter(proposal_id=proposal.pk).exists():
        return PROPOSER
    if (
        proposal.status != Proposal.Status.DRAFT
        and proposal.challenge.municipality_id in municipality_ids_reviewed_by(user)
    ):
        return REVIEWER
    if user_is_secretariat(user):
        return SECRETARIAT
    return None


def proposal_get_for_user(user, proposal_id: int) -> tuple[Proposal, str] | None:
    """The proposal and the user's role, or None when the user may not see it."""
    proposal = proposal_list_visible(user).filter(pk=proposal_id).first()
    if proposal is None:
        return None
    role = proposal_role(user, proposal)
    return (proposal, role) if role else None


def challenge_list_for_review(user) -> QuerySet[Challenge]:
    """The reviewing staff's published challenges with counts of proposals received."""
    return (
        Challenge.objects.filter(
            municipality_id__in=municipality_ids_reviewed_by(user), is_published=True
        )
        .select_related("field", "municipality")
        .annotate(
            received=Count(
                "proposals",
                filter=~Q(proposals__status__in=[Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN]),
            )
        )
        .order_by("-published_at")
    )


def proposal_list_for_review(user, challenge_id: int) -> QuerySet[Proposal]:
    """Proposals (not drafts) to one challenge, for its municipality's staff or the secretariat."""
    qs = (
        proposal_list_visible(user)
        .filter(challenge_id=challenge_id)
        .exclude(status=Proposal.Status.DRAFT)
    )
    return qs.prefetch_related("attachments").order_by("-submitted_at")


def proposal_list_of_member_organisations(user) -> QuerySet[Proposal]:
    """Proposals of the member organisations the user acts for, never those the user reviews.

    This is what a personal API token reaches: the proposer's side only, whatever other
    roles (municipality staff, secretariat) the same person holds.
    """
    return (
        proposal_list_visible(user)
        .filter(organisation__in=organisation_list_acting_for_user(user))
        .select_related("organisation", "solution", "challenge__municipality")
        .prefetch_related("events")
        .order_by("-updated_at", "-pk")
    )


def proposal_list_own(user) -> QuerySet[Proposal]:
    """Proposals of the user's organisations, as lead or as accepted co-proposer."""
    if not user.is_authenticated:
        return Proposal.objects.none()
    own = _approved_memberships(user).values("organisation_id")
    return proposal_list_visible(user).filter(
        Q(organisation_id__in=own) | Q(pk__in=_partnered(own))
    )


def proposal_partner_list(proposal: Proposal) -> QuerySet[ProposalPartner]:
    """The co-proposers invited to a proposal, with their organisations."""
    return proposal.partners.select_related("organisation")


def proposal_partner_get_for_user(user, partner_id: int) -> ProposalPartner | None:
    """A co-proposer invitation the user may answer for their organisation, or None."""
    if not user.is_authenticated:
        return None
    own = _approved_memberships(user).values("organisation_id")
    return (
        ProposalPartner.objects.filter(pk=partner_id, organisation_id__in=own)
        .select_related("proposal", "proposal__organisation", "proposal__challenge", "organisation")
        .first()
    )
