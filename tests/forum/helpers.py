"""Helpers shared by the forum's tests: people in each role, signed in with a second factor.

Tests sign people in with the `client` fixture (or `Client` below): its `force_login` also
passes the person's second factor the way allauth's sign-in does, so staff reach their screens.
`force_login(user, mfa=False)` stops after the password, as a session that never passed it.
"""

import time

from django.http import HttpRequest
from django.test import Client as DjangoClient

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.base.internal.flows import post_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.mfa.utils import decrypt

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


def totp_code(user) -> str:
    """The code the user's authenticator app shows now."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(decrypt(authenticator.data["secret"]), counter))


def mfa_passed(client, user) -> None:
    """Record on the client's session that the user passed their second factor, as allauth's
    authenticate stage does (an "mfa" authentication record naming the authenticator).

    Nothing is recorded for a user without an authenticator app or passkey: allauth would not
    have asked them for one.
    """
    authenticator = (
        Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        )
        .order_by("pk")
        .first()
    )
    if authenticator is None:
        return
    session = client.session
    request = HttpRequest()
    request.session = session
    request.user = user
    post_authentication(request, authenticator)
    session.save()


class Client(DjangoClient):
    """Django's test client whose forced sign-in passes the second factor like allauth's."""

    def force_login(self, user, backend=None, *, mfa: bool = True):
        """Sign the user in; with `mfa=False` the session stops after the password."""
        super().force_login(user, backend)
        if mfa:
            mfa_passed(self, user)


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
