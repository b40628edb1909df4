"""Strategy tags: the themes in use, and the public breakdown of challenges and projects by
SDG, by strategy theme and by catalogue dataset (the dashboard's 戦略タグ別 page)."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.http import urlencode

from forum.models import (
    CatalogDataset,
    Challenge,
    Organisation,
    Project,
    SdgGoal,
    StrategyTheme,
    ThemeTagging,
)
from forum.selectors.roles import organisation_list_for_user, user_is_secretariat

# A challenge's or project's strategy themes, with the theme of each.
TAGGINGS = Prefetch("theme_taggings", queryset=ThemeTagging.objects.select_related("theme"))
# The listed catalogue datasets a challenge or project uses.
DATASETS = Prefetch("datasets", queryset=CatalogDataset.objects.filter(is_active=True))


def user_can_tag_challenge(user, challenge: Challenge) -> bool:
    """The secretariat, or staff of the challenge's municipality."""
    if user_is_secretariat(user):
        return True
    return (
        organisation_list_for_user(user)
        .filter(kind=Organisation.Kind.MUNICIPALITY, municipality_id=challenge.municipality_id)
        .exists()
    )


def strategy_theme_list_active():
    """The themes people may choose, in the secretariat's order."""
    return StrategyTheme.objects.filter(is_active=True)


@dataclass
class TagRow:
    """One tag with the public challenges and projects that carry it, and links to them."""

    kind: str  # "sdg", "theme" or "dataset"
    key: str
    label: str
    challenges: int
    projects: int
    challenges_url: str
    projects_url: str


def _challenge_list_url() -> str:
    # The challenge list is a CMS page; /challenges/ is where the site tree puts it.
    return "/challenges/"


def _dataset_rows(challenges: str, projects: str) -> list[TagRow]:
    """Published challenges and public projects per listed catalogue dataset, in two queries."""
    used_by_challenges = Counter(
        CatalogDataset.challenges.through.objects.filter(
            challenge__is_published=True, catalogdataset__is_active=True
        ).values_list("catalogdataset__slug", flat=True)
    )
    used_by_projects = Counter(
        CatalogDataset.projects.through.objects.filter(
            project__is_public=True, catalogdataset__is_active=True
        ).values_list("catalogdataset__slug", flat=True)
    )
    return [
        TagRow(
            "dataset",
            d.slug,
            d.name,
            used_by_challenges[d.slug],
            used_by_projects[d.slug],
            f"{challenges}?{urlencode({'dataset': d.slug})}",
            f"{projects}?{urlencode({'dataset': d.slug})}",
        )
        for d in CatalogDataset.objects.filter(is_active=True)
    ]


def tag_breakdown_public() -> list[TagRow]:
    """Published challenges and public projects per SDG, per active theme and per listed
    dataset, in a fixed number of queries."""
    sdg_challenges = Counter(
        SdgGoal.challenges.through.objects.filter(challenge__is_published=True).values_list(
            "sdggoal__number", flat=True
        )
    )
    sdg_projects = Counter(
        SdgGoal.projects.through.objects.filter(project__is_public=True).values_list(
            "sdggoal__number", flat=True
        )
    )
    theme_challenges = Counter(
        ThemeTagging.objects.filter(challenge__is_published=True).values_list(
            "theme__slug", flat=True
        )
    )
    theme_projects = Counter(
        ThemeTagging.objects.filter(project__is_public=True).values_list("theme__slug", flat=True)
    )
    projects, challenges = reverse("projects:list"), _challenge_list_url()
    rows = [
        TagRow(
            "sdg",
            g.code,
            str(g),
            sdg_challenges[g.number],
            sdg_projects[g.number],
            f"{challenges}?{urlencode({'sdg': g.code})}",
            f"{projects}?{urlencode({'sdg': g.code})}",
        )
        for g in SdgGoal.objects.all()
    ]
    rows += [
        TagRow(
            "theme",
            t.slug,
            t.name,
            theme_challenges[t.slug],
            theme_projects[t.slug],
            f"{challenges}?{urlencode({'theme': t.slug})}",
            f"{projects}?{urlencode({'theme': t.slug})}",
        )
        for t in strategy_theme_list_active()
    ]
    rows += _dataset_rows(challenges, projects)
    return rows


def project_tags_of(project: Project) -> tuple[list[SdgGoal], list[ThemeTagging]]:
    """A project's SDGs and strategy themes, for its pages."""
    return list(project.sdg_goals.all()), list(project.theme_taggings.select_related("theme").all())


def challenge_tag_context(challenge: Challenge | None) -> dict:
    """What a challenge's public page shows of its strategy tags: SDGs, themes (with any
    regulatory relief asked for) and the listed catalogue datasets it uses, each a filter of the
    challenge list."""
    if challenge is None:
        return {"tag_sdgs": [], "tag_themes": [], "tag_datasets": [], "tag_list_url": ""}
    sdgs, themes = challenge_tags_of(challenge)
    return {
        "tag_sdgs": sdgs,
        "tag_themes": themes,
        "tag_datasets": list(challenge.datasets.filter(is_active=True).order_by("slug")),
        "tag_list_url": _challenge_list_url(),
    }


def challenge_tags_of(challenge: Challenge) -> tuple[list[SdgGoal], list[ThemeTagging]]:
    """A challenge's SDGs and strategy themes, for its page."""
    return list(challenge.sdg_goals.all()), list(
        challenge.theme_taggings.select_related("theme").all()
    )
