"""Who a user is on the platform: which organisations they may act for, and their roles."""

from django.db.models import QuerySet

from allauth.mfa.models import Authenticator

from forum.models import Membership, Organisation


def organisation_list_for_user(user, *, approved_only: bool = True) -> QuerySet[Organisation]:
    """Organisations the user belongs to; only approved ones unless asked otherwise."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    qs = Organisation.objects.filter(memberships__user=user)
    if approved_only:
        qs = qs.filter(status=Organisation.Status.APPROVED)
    return qs.distinct()


def user_can_act_for(user, organisation: Organisation) -> bool:
    """True when the user is a member of the organisation and it is approved."""
    if not user.is_authenticated or not organisation.is_approved:
        return False
    return Membership.objects.filter(user=user, organisation=organisation).exists()


def user_is_organisation_admin(user, organisation: Organisation) -> bool:
    """True when the user administers the (approved or pending) organisation."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, organisation=organisation, role=Membership.Role.ADMIN
    ).exists()


def user_is_secretariat(user) -> bool:
    """Forum staff: superusers and members of an approved secretariat organisation."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return organisation_list_for_user(user).filter(kind=Organisation.Kind.SECRETARIAT).exists()


def user_is_municipality_staff(user) -> bool:
    """Members of an approved municipality organisation."""
    if not user.is_authenticated:
        return False
    return organisation_list_for_user(user).filter(kind=Organisation.Kind.MUNICIPALITY).exists()


def user_requires_mfa(user) -> bool:
    """Staff roles must use a second factor: the secretariat, superusers, municipality staff."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return (
        organisation_list_for_user(user)
        .filter(kind__in=[Organisation.Kind.SECRETARIAT, Organisation.Kind.MUNICIPALITY])
        .exists()
    )


def authenticator_types(user) -> frozenset[str]:
    """The kinds of allauth authenticator the user holds: totp, webauthn, recovery_codes."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(Authenticator.objects.filter(user=user).values_list("type", flat=True))


def organisation_list_acting_for_user(user) -> QuerySet[Organisation]:
    """Approved member organisations the user may act for: not municipalities or the secretariat.

    Solutions and proposals belong to these; it is also all that a personal API token reaches.
    """
    return organisation_list_for_user(user).exclude(
        kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.SECRETARIAT]
    )
