"""Residents for the tests: a verified resident of a municipality, and the staff who moderate."""

import io

from PIL import Image

from forum.models import Field, Municipality
from forum.services.residents import resident_register
from tests.factories import UserFactory


def resident_of(municipality: Municipality, *, verified: bool = True, **kwargs):
    """A person registered as a resident of the municipality."""
    user = UserFactory(verified=verified, **kwargs)
    resident_register(user=user, municipality=municipality)
    return user


def a_field() -> Field:
    return Field.objects.filter(is_active=True).first()


def jpeg_bytes(*, size=(64, 48), exif: bytes | None = None) -> bytes:
    """A small JPEG, with the given EXIF block when one is wanted."""
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    if exif is not None:
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def gps_exif() -> bytes:
    """EXIF with a GPS position and a camera name, as a phone writes them."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (34.0, 41.0, 37.0), 3: "E", 4: (135.0, 30.0, 8.0)}  # GPSInfo
    return exif.tobytes()
