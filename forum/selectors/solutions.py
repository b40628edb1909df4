"""Reads of solution profiles and the public directory."""

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet

from forum.filters import SOLUTION_FILTERS, SOLUTION_SORTS
from forum.models import Challenge, Organisation, SolutionProfile
from forum.selectors.challenges import text_condition
from forum.selectors.roles import organisation_list_acting_for_user, organisation_list_for_user

SOLUTION_TEXT_COLUMNS = ("title", "summary", "description", "track_record")


def solution_list_published() -> QuerySet[SolutionProfile]:
    """Published solutions of approved organisations, ready for list rendering."""
    return (
        SolutionProfile.objects.filter(
            is_published=True, organisation__status=Organisation.Status.APPROVED
        )
        .select_related("organisation")
        .prefetch_related("fields", "technologies", "track_record_municipalities")
    )


def solution_list_for_member(user) -> QuerySet[SolutionProfile]:
    """Solutions of the user's approved organisations, drafts included."""
    return (
        SolutionProfile.objects.filter(organisation__in=organisation_list_for_user(user))
        .select_related("organisation")
        .prefetch_related("fields")
        .order_by("-updated_at")
    )


def solution_get_visible(user, solution_id: int) -> SolutionProfile | None:
    """A published solution, or a draft for its own organisation's members."""
    solution = SolutionProfile.objects.select_related("organisation").filter(pk=solution_id).first()
    if solution is None:
        return None
    if solution.is_published and solution.organisation.is_approved:
        return solution
    if (
        user.is_authenticated
        and organisation_list_for_user(user).filter(pk=solution.organisation_id).exists()
    ):
        return solution
    return None


@dataclass
class DirectoryFilters:
    """A validated filter state of the solution directory (forum.filters.SOLUTION_FILTERS)."""

    field: str = ""
    technology: str = ""
    kind: str = ""
    municipality: str = ""
    stage: str = ""
    q: str = ""
    sort: str = "new"

    @classmethod
    def from_query(cls, query) -> "DirectoryFilters":
        """Read filters from a GET mapping as the page does: anything not allowed is dropped."""
        return cls.from_values(SOLUTION_FILTERS.parse(query).values)

    @classmethod
    def from_values(cls, values: dict) -> "DirectoryFilters":
        """The filter state of values checked against the directory's specification."""
        return cls(**SOLUTION_FILTERS.complete(values))

    def as_query(self) -> dict:
        """Non-empty filters as query parameters."""
        values = dict(self.__dict__)
        if values.get("sort") == "new":
            values.pop("sort")
        return {k: v for k, v in values.items() if v}


def solution_list_filtered(
    filters: DirectoryFilters,
    *,
    organisation_id: int | None = None,
    updated_since: datetime | None = None,
) -> QuerySet[SolutionProfile]:
    """Published solutions matching the directory filters; the directory and the API read this."""
    qs = solution_list_published()
    if filters.field:
        qs = qs.filter(fields__slug=filters.field)
    if filters.technology:
        qs = qs.filter(technologies__slug=filters.technology)
    if filters.kind:
        qs = qs.filter(organisation__kind=filters.kind)
    if filters.municipality:
        qs = qs.filter(track_record_municipalities__code=filters.municipality)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.q:
        qs = qs.filter(text_condition(filters.q, SOLUTION_TEXT_COLUMNS))
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    if updated_since is not None:
        qs = qs.filter(updated_at__gte=updated_since)
    ids = qs.values("pk")
    return solution_list_published().filter(pk__in=ids).order_by(*SOLUTION_SORTS[filters.sort])


def solution_list_directory(
    filters: DirectoryFilters, *, page, per_page: int = 12, organisation_id: int | None = None
):
    """One page of published solutions matching the directory filters (and one organisation)."""
    return Paginator(
        solution_list_filtered(filters, organisation_id=organisation_id), per_page
    ).get_page(page)


def solution_list_of_member_organisations(user) -> QuerySet[SolutionProfile]:
    """Every solution, drafts included, of the member organisations the user acts for."""
    return (
        SolutionProfile.objects.filter(organisation__in=organisation_list_acting_for_user(user))
        .select_related("organisation")
        .prefetch_related("fields", "technologies", "track_record_municipalities")
        .order_by("-updated_at", "-pk")
    )


def organisation_list_public(
    *, kind: str = "", q: str = "", updated_since: datetime | None = None
) -> QuerySet[Organisation]:
    """Approved member organisations (not municipalities or the secretariat) with published solution counts."""
    qs = (
        Organisation.objects.filter(status=Organisation.Status.APPROVED)
        .exclude(kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.SECRETARIAT])
        .annotate(solution_count=Count("solutions", filter=Q(solutions__is_published=True)))
        .order_by("name_kana", "name", "pk")
    )
    if kind in set(Organisation.Kind.values):
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(text_condition(q, ("name", "name_kana")))
    if updated_since is not None:
        qs = qs.filter(updated_at__gte=updated_since)
    return qs


def organisation_list_directory(*, kind: str = "", page=None, per_page: int = 20):
    """One page of the public directory of member organisations."""
    return Paginator(organisation_list_public(kind=kind), per_page).get_page(page)


def challenge_key_figures() -> dict[str, int]:
    """The numbers on the home page; the organisations are those the public directory lists."""
    published = Challenge.objects.filter(is_published=True)
    return {
        "open_challenges": published.filter(status=Challenge.Status.OPEN).count(),
        "municipalities": published.values("municipality").distinct().count(),
        "organisations": organisation_list_public().count(),
        "solutions": SolutionProfile.objects.filter(is_published=True).count(),
    }
