"""Photos sent by residents: checked to be images, size-limited, re-encoded without metadata."""

import io
import uuid

from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from PIL import Image, ImageOps, UnidentifiedImageError

from forum.rules.residents import (
    PHOTO_FORMATS,
    PHOTO_KEPT_SIDE,
    PHOTO_MAX_BYTES,
    PHOTO_MAX_PIXELS,
)
from forum.services.errors import ServiceError


def _opened(upload) -> Image.Image:
    if upload.size > PHOTO_MAX_BYTES:
        raise ServiceError(
            _("写真は%(size)sまでにしてください。") % {"size": filesizeformat(PHOTO_MAX_BYTES)}
        )
    try:
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in PHOTO_FORMATS:
            raise ServiceError(_("写真はJPEG・PNG・WebP・GIFの画像を選んでください。"))
        if image.width * image.height > PHOTO_MAX_PIXELS:
            raise ServiceError(_("写真の画素数が大きすぎます。小さくしてから送ってください。"))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ServiceError(_("写真として読み込めないファイルです。画像を選んでください。")) from exc
    return image


def photo_clean(upload) -> ContentFile:
    """The upload as a new JPEG: turned upright, at most PHOTO_KEPT_SIDE pixels a side, and
    without EXIF (camera, time, GPS position) or any other metadata of the original."""
    image = ImageOps.exif_transpose(_opened(upload))
    image = image.convert("RGB")
    image.thumbnail((PHOTO_KEPT_SIDE, PHOTO_KEPT_SIDE))
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
