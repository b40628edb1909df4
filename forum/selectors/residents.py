"""Who is a resident, and whether what they do counts yet."""

from django.utils.translation import gettext as _

from allauth.account.models import EmailAddress

from forum.models import Municipality, ResidentProfile


def user_is_resident(user) -> bool:
    """True for a signed-in person who registered as a resident (住民)."""
    if not user.is_authenticated:
        return False
    return ResidentProfile.objects.filter(user=user).exists()


def user_is_verified_resident(user) -> bool:
    """A resident whose email address is verified: only their needs, supports and
    applications count."""
    return user_is_resident(user) and EmailAddress.objects.filter(user=user, verified=True).exists()


def resident_municipality(user) -> Municipality | None:
    """The municipality the resident lives in (None for anyone else)."""
    if not user.is_authenticated:
        return None
    profile = ResidentProfile.objects.select_related("municipality").filter(user=user).first()
    return profile.municipality if profile else None


def resident_label(municipality: Municipality | None) -> str:
    """How a resident is shown in public: 「○○市の住民」, never their name."""
    if municipality is None:
        return _("住民")
    return _("%(municipality)sの住民") % {"municipality": municipality.display_name}
