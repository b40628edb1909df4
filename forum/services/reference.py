"""The reference vocabulary: loading it (safe to run any number of times) and the secretariat's
edits of fields, technologies and public bodies."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from forum.models import (
    Challenge,
    Field,
    Municipality,
    Project,
    SdgGoal,
    SolutionProfile,
    Technology,
)
from forum.reference.data import FIELDS, MUNICIPALITIES, PREFECTURE, SDGS, TECHNOLOGIES
from forum.selectors.roles import user_is_secretariat
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.signals import challenge_changed, project_changed, solution_changed


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0


@transaction.atomic
def reference_data_load() -> dict[str, LoadResult]:
    """Create or refresh fields, public bodies, technologies and the 17 SDGs.

    Existing rows keep edits the secretariat made to descriptions and order; names and
    codes of public bodies are always brought back to the official values.
    """
    results = {
        "fields": LoadResult(),
        "municipalities": LoadResult(),
        "technologies": LoadResult(),
        "sdgs": LoadResult(),
    }

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

    for number, name_ja, name_en in SDGS:
        _, created = SdgGoal.objects.update_or_create(
            number=number, defaults={"name_ja": name_ja, "name_en": name_en}
        )
        _count(results["sdgs"], created)

    return results


def _count(result: LoadResult, created: bool) -> None:
    if created:
        result.created += 1
    else:
        result.updated += 1


# --- edits by the secretariat (the admin) -----------------------------------------------------


def _secretariat_only(actor) -> None:
    if not user_is_secretariat(actor):
        raise PermissionDenied(_("分野・技術・市町村を編集できるのは事務局のみです。"))


def _documents_follow(instance: Field | Technology) -> None:
    """The index stores field slugs and technology names: what uses them is indexed again."""
    for pk in instance.challenges.values_list("pk", flat=True):
        challenge_changed.send(sender=Challenge, instance_id=pk)
    for pk in instance.solutions.values_list("pk", flat=True):
        solution_changed.send(sender=SolutionProfile, instance_id=pk)
    if isinstance(instance, Field):
        for pk in instance.projects.values_list("pk", flat=True):
            project_changed.send(sender=Project, instance_id=pk)


def _saved(actor, instance, values: dict, *, indexed: set[str], verb: str):
    changed = [key for key, value in values.items() if getattr(instance, key) != value]
    if not changed and instance.pk is not None:
        return instance
    for key in changed:
        setattr(instance, key, values[key])
    instance.full_clean()
    instance.save()
    audit_record(actor=actor, verb=verb, target=instance, fields=changed)
    if indexed & set(changed):
        _documents_follow(instance)
    return instance


def _delete_unless_used(instance: Field | Technology) -> None:
    try:
        with transaction.atomic():
            instance.delete()
    except ProtectedError as exc:
        raise ServiceError(
            _("課題やプロジェクトで使われているため削除できません。"), code="protected"
        ) from exc


@transaction.atomic
def field_save(
    *,
    actor,
    field: Field | None = None,
    name_ja: str,
    name_en: str = "",
    slug: str,
    description: str = "",
    sort_order: int = 100,
    is_active: bool = True,
) -> Field:
    """Add a field, or change one; what the index holds of it follows a new slug."""
    _secretariat_only(actor)
    field = Field.objects.select_for_update().get(pk=field.pk) if field else Field()
    values = {
        "name_ja": name_ja,
        "name_en": name_en,
        "slug": slug,
        "description": description,
        "sort_order": sort_order,
        "is_active": is_active,
    }
    verb = "field.updated" if field.pk else "field.created"
    return _saved(actor, field, values, indexed={"slug"}, verb=verb)


@transaction.atomic
def field_delete(*, actor, field: Field) -> None:
    """Delete a field nothing uses (challenges and projects keep theirs)."""
    _secretariat_only(actor)
    audit_record(actor=actor, verb="field.deleted", target=field, slug=field.slug)
    _documents_follow(field)
    _delete_unless_used(field)


@transaction.atomic
def technology_save(
    *, actor, technology: Technology | None = None, name_ja: str, name_en: str = "", slug: str
) -> Technology:
    """Add a technology, or change one; what the index holds of it follows a new name."""
    _secretariat_only(actor)
    technology = (
        Technology.objects.select_for_update().get(pk=technology.pk) if technology else Technology()
    )
    values = {"name_ja": name_ja, "name_en": name_en, "slug": slug}
    verb = "technology.updated" if technology.pk else "technology.created"
    return _saved(actor, technology, values, indexed={"name_ja"}, verb=verb)


@transaction.atomic
def technology_delete(*, actor, technology: Technology) -> None:
    """Delete a technology; the challenges and solutions that named it are indexed again."""
    _secretariat_only(actor)
    audit_record(actor=actor, verb="technology.deleted", target=technology, slug=technology.slug)
    _documents_follow(technology)
    technology.delete()


@transaction.atomic
def municipality_update(*, actor, municipality: Municipality, name_en: str) -> Municipality:
    """Change a public body's English name; the official Japanese names stay the loader's."""
    _secretariat_only(actor)
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    return _saved(
        actor, municipality, {"name_en": name_en}, indexed=set(), verb="municipality.updated"
    )
