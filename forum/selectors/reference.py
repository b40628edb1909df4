"""Reads of the reference vocabularies: fields, public bodies, technologies."""

from django.db.models import QuerySet

from forum.models import Field, Municipality, Technology


def field_list() -> QuerySet[Field]:
    """Every field, inactive ones included (old challenges still point at them), in display order."""
    return Field.objects.order_by("sort_order", "pk")


def municipality_list() -> QuerySet[Municipality]:
    """The prefecture and its municipalities, by local government code."""
    return Municipality.objects.order_by("code")


def technology_list() -> QuerySet[Technology]:
    """The technology vocabulary in Japanese order."""
    return Technology.objects.order_by("name_ja", "pk")
