"""What counts as a staff member's second factor, and which step asks for it.

The kinds are allauth's authenticator types: an authenticator app (totp) or a passkey
(webauthn) is a second factor; recovery codes only stand in for them and never exist alone.
"""

from allauth.mfa.models import Authenticator

SECOND_FACTOR_TYPES = frozenset({Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN})


def has_second_factor(types: frozenset[str]) -> bool:
    """True when the authenticator kinds a person holds include a second factor."""
    return bool(types & SECOND_FACTOR_TYPES)


def second_factor_step(types: frozenset[str]) -> str:
    """The URL name of allauth's step that asks this person for their second factor again.

    The code step takes an app code (or a recovery code); a person with passkeys only is asked
    for one of them, and finds the recovery codes among the alternatives there.
    """
    if Authenticator.Type.TOTP in types:
        return "mfa_reauthenticate"
    return "mfa_reauthenticate_webauthn"
