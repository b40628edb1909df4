"""Accounts made by the platform's own commands (not by signing up): a verified address,
a password, and for staff roles an authenticator app."""

from django.contrib.auth import get_user_model
from django.db import transaction

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret


@transaction.atomic
def account_ensure(
    *, email: str, display_name: str, password: str, superuser: bool = False
) -> tuple[object, bool]:
    """The account with this address, created with a verified address if missing.

    Returns the user and whether it was created; an existing account is left as it is.
    """
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, False
    factory = User.objects.create_superuser if superuser else User.objects.create_user
    user = factory(username=email.split("@")[0], email=email, password=password)
    user.display_name = display_name
    user.save(update_fields=["display_name"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, True


@transaction.atomic
def account_authenticator_ensure(*, user) -> str:
    """Give the account an authenticator app unless it has one; returns the new secret or ""."""
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return ""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret
