"""Registering a person as a resident (住民) of a municipality."""

from django.db import transaction
from django.utils.translation import gettext as _

from forum.models import Membership, Municipality, ResidentProfile
from forum.services.audit import audit_record
from forum.services.errors import ServiceError


@transaction.atomic
def resident_register(*, user, municipality: Municipality) -> ResidentProfile:
    """Make the person a resident of the municipality; residents belong to no organisation."""
    if Membership.objects.filter(user=user).exists():
        raise ServiceError(_("団体に所属している方は住民として登録できません。"))
    profile, created = ResidentProfile.objects.update_or_create(
        user=user, defaults={"municipality": municipality}
    )
    audit_record(
        actor=user,
        verb="resident.registered" if created else "resident.moved",
        target=profile,
        municipality=municipality.code,
    )
    return profile
