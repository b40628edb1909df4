"""Strategy tags: the secretariat's themes, and the SDGs and themes on challenges and projects.

A challenge is tagged by the secretariat or by staff of its municipality; a project by its
participants (the secretariat included). A theme that asks for it needs the regulatory
relief (規制緩和) written on the tagging.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from forum.models import Challenge, Project, SdgGoal, StrategyTheme, ThemeTagging
from forum.selectors.roles import user_is_secretariat
from forum.selectors.tags import user_can_tag_challenge
from forum.services.audit import audit_record
from forum.services.datasets import datasets_chosen
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.projects.common import (
    announce_change,
    project_lock,
    require_participant,
    touch,
)
from forum.services.text import clean_text
from forum.signals import challenge_changed


def _secretariat_only(actor) -> None:
    if not user_is_secretariat(actor):
        raise PermissionDenied(_("戦略テーマを編集できるのは事務局だけです。"))


@transaction.atomic
def strategy_theme_save(
    *,
    actor,
    theme: StrategyTheme | None = None,
    slug: str,
    name_ja: str,
    name_en: str = "",
    description: str = "",
    asks_regulatory_relief: bool = False,
    sort_order: int = 100,
    is_active: bool = True,
) -> StrategyTheme:
    """Create a strategy theme, or change one; secretariat only."""
    _secretariat_only(actor)
    slug = clean_text(slug, label=_("スラッグ"), limit=50, required=True)
    if StrategyTheme.objects.filter(slug=slug).exclude(pk=getattr(theme, "pk", None)).exists():
        raise ServiceError(_("スラッグ「%(slug)s」はすでに使われています。") % {"slug": slug})
    theme = theme or StrategyTheme()
    theme.slug = slug
    theme.name_ja = clean_text(name_ja, label=_("名称（日本語）"), limit=100, required=True)
    theme.name_en = clean_text(name_en, label=_("名称（英語）"), limit=100)
    theme.description = clean_text(description, label=_("説明"), limit=2000)
    theme.asks_regulatory_relief = bool(asks_regulatory_relief)
    theme.sort_order = int(sort_order)
    theme.is_active = bool(is_active)
    theme.save()
    audit_record(actor=actor, verb="strategy_theme.save", target=theme, slug=theme.slug)
    return theme


def _goals(numbers) -> list[SdgGoal]:
    numbers = sorted({int(n) for n in numbers or ()})
    goals = list(SdgGoal.objects.filter(number__in=numbers))
    if len(goals) != len(numbers):
        raise ServiceError(_("SDGsの目標は1〜17の番号で選んでください。"))
    return goals


def _themes(themes: dict[str, str] | None) -> list[tuple[StrategyTheme, str]]:
    """The chosen active themes with their regulatory relief text, checked."""
    themes = themes or {}
    found = {t.slug: t for t in StrategyTheme.objects.filter(slug__in=list(themes), is_active=True)}
    unknown = sorted(set(themes) - set(found))
    if unknown:
        raise ServiceError(_("戦略テーマ「%(slug)s」はありません。") % {"slug": "、".join(unknown)})
    chosen = []
    for slug, relief in themes.items():
        theme = found[slug]
        relief = clean_text(
            relief,
            label=_("「%(theme)s」に必要な規制緩和") % {"theme": theme.name},
            limit=2000,
            required=theme.asks_regulatory_relief,
        )
        chosen.append((theme, relief))
    return chosen


def _record(actor, target, goals, themes, *, verb: str) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        target=target,
        sdgs=[g.number for g in goals],
        themes={t.slug: relief for t, relief in themes},
        datasets=sorted(target.datasets.values_list("slug", flat=True)),
    )


@transaction.atomic
def challenge_tags_set(
    *,
    actor,
    challenge: Challenge,
    sdg_numbers,
    themes: dict[str, str] | None = None,
    datasets=None,
) -> Challenge:
    """Set a challenge's SDGs and strategy themes (and, when given, the catalogue datasets it
    offers or needs); the secretariat or its municipality's staff."""
    if not user_can_tag_challenge(actor, challenge):
        raise PermissionDenied(_("この課題のタグを編集する権限がありません。"))
    goals, chosen = _goals(sdg_numbers), _themes(themes)
    if datasets is not None:
        challenge.datasets.set(datasets_chosen(datasets))
    challenge.sdg_goals.set(goals)
    ThemeTagging.objects.filter(challenge=challenge).delete()
    ThemeTagging.objects.bulk_create(
        [ThemeTagging(challenge=challenge, theme=t, regulatory_relief=r) for t, r in chosen]
    )
    _record(actor, challenge, goals, chosen, verb="challenge.tags_set")
    challenge_changed.send(sender=Challenge, instance_id=challenge.pk)  # the index's SDG facet
    return challenge


@transaction.atomic
def project_tags_set(
    *,
    actor,
    project: Project,
    sdg_numbers,
    themes: dict[str, str] | None = None,
    datasets=None,
) -> Project:
    """Set a project's SDGs and strategy themes (and, when given, the catalogue datasets it
    uses); its participants and the secretariat."""
    project = project_lock(project)
    require_participant(actor, project, _("このプロジェクトのタグを編集する権限がありません。"))
    goals, chosen = _goals(sdg_numbers), _themes(themes)
    if datasets is not None:
        project.datasets.set(datasets_chosen(datasets))
    project.sdg_goals.set(goals)
    ThemeTagging.objects.filter(project=project).delete()
    ThemeTagging.objects.bulk_create(
        [ThemeTagging(project=project, theme=t, regulatory_relief=r) for t, r in chosen]
    )
    touch(project)
    announce_change(project)  # the index's SDG facet
    _record(actor, project, goals, chosen, verb="project.tags_set")
    return project
