"""Helpers shared by the forum's tests: people in each role, signed in with a second factor."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from forum.models import Membership, Organisation
from forum.services.groups import user_groups_sync
from tests.factories import (
    MunicipalityOrganisationFactory,
    OrganisationFactory,
    SecretariatFactory,
    UserFactory,
)


def with_totp(user):
    """Give the user an authenticator app, as staff roles must have."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def member_of(organisation: Organisation, *, role: str = Membership.Role.MEMBER, **user_kwargs):
    """A new user who belongs to the organisation, with groups in line."""
    user = UserFactory(**user_kwargs)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    user_groups_sync(user_id=user.pk)
    return user


def secretariat_user(*, mfa: bool = True):
    """A member of the approved secretariat organisation."""
    organisation = (
        Organisation.objects.filter(kind=Organisation.Kind.SECRETARIAT).first()
        or SecretariatFactory()
    )
    user = member_of(organisation, role=Membership.Role.ADMIN)
    return with_totp(user) if mfa else user


def municipality_staff(*, municipality=None, mfa: bool = True):
    """A member of an approved municipality organisation."""
    kwargs = {"municipality": municipality, "name": municipality.name} if municipality else {}
    organisation = MunicipalityOrganisationFactory(**kwargs)
    user = member_of(organisation, role=Membership.Role.ADMIN)
    return with_totp(user) if mfa else user


def company_member(
    *, status: str = Organisation.Status.APPROVED, role: str = Membership.Role.ADMIN
):
    """A member of a company organisation in the given review state."""
    organisation = OrganisationFactory(status=status)
    return member_of(organisation, role=role), organisation


def signed_in_with_mfa(client, user):
    """Sign the user in on the test client as after a password and a TOTP code: the session
    carries allauth's record of the second factor, as staff sessions must."""
    from django.http import HttpRequest

    from allauth.account.internal.flows.login import record_authentication

    client.force_login(with_totp(user))
    request = HttpRequest()
    request.user = user
    request.session = client.session
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    record_authentication(request, user, "mfa", id=authenticator.pk, type="totp")
    request.session.save()
    return client
