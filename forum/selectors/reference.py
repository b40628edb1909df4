"""Reads of the reference vocabularies: fields, public bodies, technologies."""

from django.db.models import QuerySet

from forum.models import Field, Municipality, Technology


def fields_all() -> QuerySet[Field]:
    """Every field, inactive ones included (old challenges still point at them), in display order."""
    return Field.objects.order_by("sort_order", "pk")


def municipalities_all() -> QuerySet[Municipality]:
    """The prefecture and its municipalities, by local government code."""
    return Municipality.objects.order_by("code")


def technologies_all() -> QuerySet[Technology]:
    """The technology vocabulary in Japanese order."""
    return Technology.objects.order_by("name_ja", "pk")
