"""Pieces every serializer of the API shares: id limits, absolute links, strict input."""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.translation import gettext as _

from rest_framework import serializers

MAX_ID = 9_223_372_036_854_775_807
MAX_COST = 2_147_483_647


def absolute_url(path: str) -> str:
    """The public address of a page of the site, from SITE_URL."""
    return urljoin(settings.SITE_URL.rstrip("/") + "/", path.lstrip("/")) if path else ""


class StrictSerializerMixin:
    """Refuses fields the serializer does not know, instead of silently ignoring them."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            known = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(key) for key in data if key not in known)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("この項目は指定できません。")] for name in unknown}
                )
        return super().to_internal_value(data)
