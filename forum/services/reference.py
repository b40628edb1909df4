"""Loading the reference vocabulary. Safe to run any number of times."""

from dataclasses import dataclass

from django.db import transaction

from forum.models import Field, Municipality, Technology
from forum.reference.data import FIELDS, MUNICIPALITIES, PREFECTURE, TECHNOLOGIES


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0


@transaction.atomic
def reference_data_load() -> dict[str, LoadResult]:
    """Create or refresh fields, public bodies and technologies.

    Existing rows keep edits the secretariat made to descriptions and order; names and
    codes of public bodies are always brought back to the official values.
    """
    results = {"fields": LoadResult(), "municipalities": LoadResult(), "technologies": LoadResult()}

    for slug, name_ja, name_en, order in FIELDS:
        _, created = Field.objects.get_or_create(
            slug=slug, defaults={"name_ja": name_ja, "name_en": name_en, "sort_order": order}
        )
        _count(results["fields"], created)

    for code, name, kana, name_en, kind in [PREFECTURE, *MUNICIPALITIES]:
        _, created = Municipality.objects.update_or_create(
            code=code, defaults={"name": name, "name_kana": kana, "name_en": name_en, "kind": kind}
        )
        _count(results["municipalities"], created)

    for slug, name_ja, name_en in TECHNOLOGIES:
        _, created = Technology.objects.get_or_create(
            slug=slug, defaults={"name_ja": name_ja, "name_en": name_en}
        )
        _count(results["technologies"], created)

    return results


def _count(result: LoadResult, created: bool) -> None:
    if created:
        result.created += 1
    else:
        result.updated += 1
