"""Reads of published challenges shared by the list, the home page, feeds and other modules."""

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q, QuerySet

from forum.filters import CHALLENGE_FILTERS, CHALLENGE_SORTS
from forum.models import (
    Call,
    CatalogDataset,
    Challenge,
    Department,
    Field,
    Municipality,
    SdgGoal,
    StrategyTheme,
    Technology,
)
from forum.models.challenges import DesiredStage
from forum.selectors.tags import DATASETS, TAGGINGS

TEXT_COLUMNS = ("title", "summary", "background", "wanted")


def text_condition(q: str, columns: tuple[str, ...]) -> Q:
    """Every word of the query (NFKC-folded, at most 10) appears in one of the columns."""
    condition = Q()
    for term in unicodedata.normalize("NFKC", q or "").split()[:10]:
        term_condition = Q()
        for column in columns:
            term_condition |= Q(**{f"{column}__icontains": term})
        condition &= term_condition
    return condition


@dataclass
class ChallengeFilters:
    """A validated filter state of the public challenge list (forum.filters.CHALLENGE_FILTERS)."""

    field: str = ""
    municipality: str = ""
    department: str = ""
    technology: str = ""
    status: str = ""
    stage: str = ""
    call: str = ""
    sdg: str = ""
    theme: str = ""
    dataset: str = ""
    q: str = ""
    sort: str = "new"

    @classmethod
    def from_query(cls, query) -> "ChallengeFilters":
        """Read filters from a GET mapping as the page does: anything not allowed is dropped."""
        return cls.from_values(CHALLENGE_FILTERS.parse(query).values)

    @classmethod
    def from_values(cls, values: dict) -> "ChallengeFilters":
        """The filter state of values checked against the list's specification."""
        return cls(**CHALLENGE_FILTERS.complete(values))

    def as_query(self, **overrides) -> dict[str, str]:
        """The non-empty filters as query parameters, with some replaced."""
        values = {**self.__dict__, **overrides}
        if values.get("sort") == "new":
            values.pop("sort")
        return {key: value for key, value in values.items() if value}


def challenge_list_published() -> QuerySet[Challenge]:
    """Published challenges with what list rows show, ready for one query per page."""
    return (
        Challenge.objects.filter(is_published=True)
        .select_related("municipality", "field", "call", "department__organisation")
        .prefetch_related("technologies", "sdg_goals", TAGGINGS, DATASETS)
    )


def challenge_list_open() -> QuerySet[Challenge]:
    """Published challenges still taking proposals."""
    return challenge_list_published().filter(status=Challenge.Status.OPEN)


def _filtered(filters: ChallengeFilters, *, exclude: str = "") -> QuerySet[Challenge]:
    qs = Challenge.objects.filter(is_published=True)
    conditions = {
        "field": Q(field__slug=filters.field),
        "municipality": Q(municipality__code=filters.municipality),
        "department": Q(department__slug=filters.department),
        "technology": Q(technologies__slug=filters.technology),
        "status": Q(status=filters.status),
        "stage": Q(desired_stage=filters.stage),
        "call": Q(call__slug=filters.call),
        "sdg": Q(sdg_goals__number=filters.sdg),
        "theme": Q(theme_taggings__theme__slug=filters.theme),
        "dataset": Q(datasets__slug=filters.dataset),
    }
    for name, condition in conditions.items():
        if name != exclude and getattr(filters, name):
            qs = qs.filter(condition)
    if filters.q:
        qs = qs.filter(text_condition(filters.q, TEXT_COLUMNS))
    # No ordering here: facet counts group by value, and ordering columns would split the groups.
    return qs.order_by().distinct()


def challenge_list_filtered(
    filters: ChallengeFilters, *, updated_since: datetime | None = None
) -> QuerySet[Challenge]:
    """Published challenges matching the filters (and changed since a time), sorted as asked,
    each with its ``support_count`` (residents' support).

    The public list and the API both read this, so they always show the same challenges.
    """
    ids = _filtered(filters).values("pk")
    qs = challenge_list_published().filter(pk__in=ids).annotate(support_count=Count("supports"))
    if updated_since is not None:
        qs = qs.filter(updated_at__gte=updated_since)
    return qs.order_by(*CHALLENGE_SORTS[filters.sort])


def challenge_list_search(
    filters: ChallengeFilters, *, page: str | int | None, per_page: int = 12
) -> PaginatorPage:
    """One page of published challenges matching the filters, sorted as asked."""
    return Paginator(challenge_list_filtered(filters), per_page).get_page(page)


def challenge_facets(filters: ChallengeFilters) -> dict[str, list[dict]]:
    """Counts per value of each facet, each counted with the other filters applied.

    A facet lists the values some challenge has under the other filters, and always the chosen
    value (counted 0 when none has it), so a select never loses what was chosen and the next
    submit keeps the filter.
    """
    counts = dict(
        _filtered(filters, exclude="field")
        .values_list("field__slug")
        .annotate(n=Count("pk", distinct=True))
    )
    facets: dict[str, list[dict]] = {
        "field": [
            {"value": f.slug, "label": f.name, "count": counts.get(f.slug, 0)}
            for f in Field.objects.filter(is_active=True)
        ],
        "municipality": _municipality_facet(filters),
        "department": _department_facet(filters),
        "technology": _technology_facet(filters),
    }
    counts = dict(
        _filtered(filters, exclude="status")
        .values_list("status")
        .annotate(n=Count("pk", distinct=True))
    )
    facets["status"] = [
        {"value": v, "label": label, "count": counts.get(v, 0)}
        for v, label in Challenge.Status.choices
    ]
    counts = dict(
        _filtered(filters, exclude="stage")
        .values_list("desired_stage")
        .annotate(n=Count("pk", distinct=True))
    )
    facets["stage"] = [
        {"value": v, "label": label, "count": counts.get(v, 0)} for v, label in DesiredStage.choices
    ]
    facets["call"] = _call_facet(filters)
    facets.update(_tag_facets(filters))
    for name, labels in SELECTED_LABELS.items():
        _keep_selected(facets[name], getattr(filters, name), labels)
    return facets


def challenge_facet_controls(filters: ChallengeFilters, *, municipality: str = "") -> set[str]:
    """The optional filters (department, call, dataset) the list offers: those some published
    challenge (of ``municipality`` on its own list) can be narrowed by, and any that is set.

    Read without the other filters, so an empty result never takes a control away.
    """
    published = Challenge.objects.filter(is_published=True)
    if municipality:
        published = published.filter(municipality__code=municipality)
    found = published.aggregate(
        department=Count("department", distinct=True),
        call=Count("call", distinct=True, filter=Q(call__is_published=True)),
        dataset=Count("datasets", distinct=True, filter=Q(datasets__is_active=True)),
    )
    return {name for name, n in found.items() if n or getattr(filters, name)}


def _keep_selected(options: list[dict], value: str, labels) -> None:
    """Put the chosen value first, counted 0, when no challenge has it under the other filters."""
    if not value or any(option["value"] == value for option in options):
        return
    label = labels(value)
    if label is not None:
        options.insert(0, {"value": value, "count": 0, **label})


def _municipality_facet(filters: ChallengeFilters) -> list[dict]:
    rows = (
        _filtered(filters, exclude="municipality")
        .values_list("municipality__code", "municipality__name", "municipality__name_en")
        .annotate(n=Count("pk", distinct=True))
        .order_by("municipality__code")
    )
    return [
        {"value": code, "label": name, "label_en": name_en, "count": n}
        for code, name, name_en, n in rows
    ]


def _department_facet(filters: ChallengeFilters) -> list[dict]:
    rows = (
        _filtered(filters, exclude="department")
        .filter(department__isnull=False)
        .values_list(
            "department__slug",
            "department__organisation__name",
            "department__organisation__municipality__name_en",
            "department__name",
            "department__name_en",
        )
        .annotate(n=Count("pk", distinct=True))
        .order_by("department__organisation__name", "department__sort_order", "department__slug")
    )
    return [
        {"value": slug, **_department_labels(org, place_en, ja, en), "count": n}
        for slug, org, place_en, ja, en, n in rows
    ]


def _department_labels(organisation: str, place_en: str | None, name: str, name_en: str) -> dict:
    """A department's label in Japanese and in English as Department.__str__ gives them: in
    English the municipality's English name, then the department's English name if it has one."""
    return {
        "label": f"{organisation} {name}",
        "label_en": f"{place_en or organisation} {name_en or name}",
    }


def _technology_facet(filters: ChallengeFilters) -> list[dict]:
    rows = (
        _filtered(filters, exclude="technology")
        .filter(technologies__isnull=False)
        .values_list("technologies__slug", "technologies__name_ja", "technologies__name_en")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n", "technologies__name_ja")
    )
    return [{"value": slug, "label": ja, "label_en": en, "count": n} for slug, ja, en, n in rows]


def _tag_facets(filters: ChallengeFilters) -> dict[str, list[dict]]:
    """Counts per SDG, per active strategy theme and per listed dataset, with the other
    filters applied."""
    counts = dict(
        _filtered(filters, exclude="sdg")
        .filter(sdg_goals__isnull=False)
        .values_list("sdg_goals__number")
        .annotate(n=Count("pk", distinct=True))
    )
    facets = {
        "sdg": [
            {"value": g.code, "label": str(g), "count": counts.get(g.number, 0)}
            for g in SdgGoal.objects.all()
        ]
    }
    counts = dict(
        _filtered(filters, exclude="theme")
        .filter(theme_taggings__isnull=False)
        .values_list("theme_taggings__theme__slug")
        .annotate(n=Count("pk", distinct=True))
    )
    facets["theme"] = [
        {"value": t.slug, "label": t.name, "count": counts.get(t.slug, 0)}
        for t in StrategyTheme.objects.filter(is_active=True)
    ]
    counts = dict(
        _filtered(filters, exclude="dataset")
        .filter(datasets__is_active=True)
        .values_list("datasets__slug")
        .annotate(n=Count("pk", distinct=True))
    )
    facets["dataset"] = [
        {"value": d.slug, "label": d.name, "count": counts[d.slug]}
        for d in CatalogDataset.objects.filter(is_active=True, slug__in=counts)
    ]
    return facets


def _call_facet(filters: ChallengeFilters) -> list[dict]:
    """Counts per published call that has challenges under the other filters."""
    counts = dict(
        _filtered(filters, exclude="call")
        .filter(call__isnull=False)
        .values_list("call__slug")
        .annotate(n=Count("pk", distinct=True))
    )
    return [
        {"value": call.slug, "label": call.title, "count": counts[call.slug]}
        for call in Call.objects.filter(slug__in=counts, is_published=True)
    ]


def _one(queryset, label) -> dict | None:
    found = queryset.first()
    return None if found is None else label(found)


# How to label a chosen value no challenge has under the other filters (one query, only then).
SELECTED_LABELS = {
    "field": lambda v: _one(Field.objects.filter(slug=v), lambda f: {"label": f.name}),
    "municipality": lambda v: _one(
        Municipality.objects.filter(code=v), lambda m: {"label": m.name, "label_en": m.name_en}
    ),
    "department": lambda v: _one(
        Department.objects.filter(slug=v).values_list(
            "organisation__name", "organisation__municipality__name_en", "name", "name_en"
        ),
        lambda row: _department_labels(*row),
    ),
    "technology": lambda v: _one(
        Technology.objects.filter(slug=v), lambda t: {"label": t.name_ja, "label_en": t.name_en}
    ),
    "call": lambda v: _one(
        Call.objects.filter(slug=v, is_published=True), lambda c: {"label": c.title}
    ),
    "theme": lambda v: _one(StrategyTheme.objects.filter(slug=v), lambda t: {"label": t.name}),
    "dataset": lambda v: _one(CatalogDataset.objects.filter(slug=v), lambda d: {"label": d.name}),
}


def challenge_last_updated() -> datetime | None:
    """When the set of published challenges last changed (an unpublished one counts too)."""
    return Challenge.objects.filter(published_at__isnull=False).aggregate(last=Max("updated_at"))[
        "last"
    ]


def challenge_related(challenge: Challenge, *, limit: int = 4) -> list[Challenge]:
    """Other open challenges in the same field, those sharing technologies first."""
    tech_ids = list(challenge.technologies.values_list("pk", flat=True))
    return list(
        challenge_list_open()
        .filter(field_id=challenge.field_id)
        .exclude(pk=challenge.pk)
        .annotate(shared=Count("technologies", filter=Q(technologies__in=tech_ids)))
        .order_by("-shared", "-published_at")[:limit]
    )
