"""The data catalogue: the secretariat's entries, and the datasets a challenge or project uses."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from forum.models import CatalogDataset, Challenge, Project
from forum.models.datasets import Licence
from forum.selectors.roles import user_is_secretariat
from forum.selectors.tags import user_can_tag_challenge
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.projects.common import (
    announce_change,
    project_lock,
    require_participant,
    touch,
)
from forum.services.text import clean_text
from forum.signals import challenge_changed


def _url(value: str, *, label: str, required: bool) -> str:
    value = clean_text(value, label=label, limit=500, required=required)
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise ServiceError(
                _("%(label)sは http:// または https:// で始まるURLで入力してください。")
                % {"label": label}
            ) from None
    return value


@transaction.atomic
def dataset_save(
    *,
    actor,
    dataset: CatalogDataset | None = None,
    slug: str,
    name_ja: str,
    name_en: str = "",
    description: str = "",
    publisher: str,
    url: str,
    licence: str,
    licence_url: str = "",
    formats: str,
    is_active: bool = True,
) -> CatalogDataset:
    """Create a catalogue entry, or change one; secretariat only."""
    if not user_is_secretariat(actor):
        raise PermissionDenied(_("データカタログを編集できるのは事務局だけです。"))
    slug = clean_text(slug, label=_("スラッグ"), limit=50, required=True)
    if CatalogDataset.objects.filter(slug=slug).exclude(pk=getattr(dataset, "pk", None)).exists():
        raise ServiceError(_("スラッグ「%(slug)s」はすでに使われています。") % {"slug": slug})
    if licence not in Licence.values:
        raise ServiceError(_("ライセンスを選んでください。"))
    licence_url = _url(licence_url, label=_("利用規約のURL"), required=licence == Licence.OTHER)
    dataset = dataset or CatalogDataset()
    dataset.slug = slug
    dataset.name_ja = clean_text(name_ja, label=_("名称（日本語）"), limit=100, required=True)
    dataset.name_en = clean_text(name_en, label=_("名称（英語）"), limit=100)
    dataset.description = clean_text(description, label=_("説明"), limit=2000)
    dataset.publisher = clean_text(publisher, label=_("提供者"), limit=200, required=True)
    dataset.url = _url(url, label=_("URL"), required=True)
    dataset.licence = licence
    dataset.licence_url = licence_url
    dataset.formats = clean_text(formats, label=_("形式"), limit=200, required=True)
    listed_before = dataset.pk is not None and dataset.is_active
    dataset.is_active = bool(is_active)
    dataset.save()
    audit_record(actor=actor, verb="dataset.save", target=dataset, slug=dataset.slug)
    if listed_before != dataset.is_active:
        _announce_users(dataset)  # the search page's dataset facet lists listed entries only
    return dataset


def _announce_users(dataset: CatalogDataset) -> None:
    """Tell the index layer about every challenge and project that uses the dataset."""
    for challenge_id in dataset.challenges.values_list("pk", flat=True):
        challenge_changed.send(sender=Challenge, instance_id=challenge_id)
    for project in dataset.projects.all():
        announce_change(project)


def datasets_chosen(slugs) -> list[CatalogDataset]:
    """The listed catalogue entries of these slugs; refused when one is not listed."""
    slugs = sorted(set(slugs or ()))
    found = list(CatalogDataset.objects.filter(slug__in=slugs, is_active=True))
    unknown = sorted(set(slugs) - {d.slug for d in found})
    if unknown:
        raise ServiceError(
            _("データセット「%(slug)s」はカタログにありません。") % {"slug": "、".join(unknown)}
        )
    return found


@transaction.atomic
def project_datasets_set(*, actor, project: Project, slugs) -> Project:
    """Name the catalogue datasets a project uses; its participants and the secretariat."""
    project = project_lock(project)
    require_participant(actor, project, _("このプロジェクトを編集する権限がありません。"))
    datasets = datasets_chosen(slugs)
    project.datasets.set(datasets)
    touch(project)
    announce_change(project)  # the index's dataset facet
    audit_record(
        actor=actor,
        verb="project.datasets_set",
        target=project,
        datasets=[d.slug for d in datasets],
    )
    return project


@transaction.atomic
def challenge_datasets_set(*, actor, challenge: Challenge, slugs) -> Challenge:
    """Name the catalogue datasets a challenge offers or needs; the secretariat or its
    municipality's staff."""
    if not user_can_tag_challenge(actor, challenge):
        raise PermissionDenied(_("この課題を編集する権限がありません。"))
    datasets = datasets_chosen(slugs)
    challenge.datasets.set(datasets)
    challenge_changed.send(sender=Challenge, instance_id=challenge.pk)  # the dataset facet
    audit_record(
        actor=actor,
        verb="challenge.datasets_set",
        target=challenge,
        datasets=[d.slug for d in datasets],
    )
    return challenge
