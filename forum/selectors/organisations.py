"""Reads about organisations shared by views and pages."""

from django.db.models import Prefetch, QuerySet

from forum.models import Invitation, JoinRequest, Membership, Organisation
from forum.selectors.roles import user_is_organisation_admin, user_is_secretariat


def membership_list_for_user(user) -> list[Membership]:
    """The user's memberships with their organisations, approved or not."""
    return list(
        Membership.objects.filter(user=user)
        .select_related("organisation", "organisation__municipality")
        .order_by("organisation__name")
    )


def organisation_get_for_user(user, organisation_id: int) -> dict | None:
    """What a member, an admin or the secretariat may see of an organisation; None if nothing."""
    organisation = (
        Organisation.objects.select_related("municipality")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("user"))
        )
        .filter(pk=organisation_id)
        .first()
    )
    if organisation is None:
        return None
    is_member = any(m.user_id == user.pk for m in organisation.memberships.all())
    is_secretariat = user_is_secretariat(user)
    if not (is_member or is_secretariat):
        return None
    is_admin = user_is_organisation_admin(user, organisation)
    context = {
        "organisation": organisation,
        "members": organisation.memberships.all(),
        "is_admin": is_admin,
        "can_act": organisation.is_approved and is_member,
        "invitations": [],
        "join_requests": [],
    }
    if is_admin or is_secretariat:
        context["invitations"] = list(
            Invitation.objects.filter(
                organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True
            )
        )
        context["join_requests"] = list(
            JoinRequest.objects.filter(
                organisation=organisation, status=JoinRequest.Status.PENDING
            ).select_related("user")
        )
    return context


def organisation_list_awaiting_review(user) -> QuerySet[Organisation]:
    """Applications waiting for the secretariat, oldest first; nothing for anyone else."""
    if not user_is_secretariat(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(status=Organisation.Status.PENDING).order_by(
        "created_at", "pk"
    )
