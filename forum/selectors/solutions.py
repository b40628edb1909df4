"""Reads of solution profiles and the public directory."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet

from forum.models import Challenge, Field, Municipality, Organisation, SolutionProfile, Technology
from forum.selectors.roles import organisations_for_user


def solutions_published() -> QuerySet[SolutionProfile]:
    """Published solutions of approved organisations, ready for list rendering."""
    return (
        SolutionProfile.objects.filter(
            is_published=True, organisation__status=Organisation.Status.APPROVED
        )
        .select_related("organisation")
        .prefetch_related("fields", "technologies", "track_record_municipalities")
    )


def solutions_for_member(user) -> QuerySet[SolutionProfile]:
    """Solutions of the user's approved organisations, drafts included."""
    return (
        SolutionProfile.objects.filter(organisation__in=organisations_for_user(user))
        .select_related("organisation")
        .prefetch_related("fields")
        .order_by("-updated_at")
    )


def solution_visible(user, solution_id: int) -> SolutionProfile | None:
    """A published solution, or a draft for its own organisation's members."""
    solution = SolutionProfile.objects.select_related("organisation").filter(pk=solution_id).first()
    if solution is None:
        return None
    if solution.is_published and solution.organisation.is_approved:
        return solution
    if (
        user.is_authenticated
        and organisations_for_user(user).filter(pk=solution.organisation_id).exists()
    ):
        return solution
    return None


@dataclass
class DirectoryFilters:
    field: str = ""
    technology: str = ""
    kind: str = ""
    municipality: str = ""

    @classmethod
    def from_query(cls, query) -> "DirectoryFilters":
        """Known values only; anything else is dropped."""

        def pick(name, allowed):
            value = (query.get(name) or "").strip()[:50]
            return value if value in allowed else ""

        return cls(
            field=pick("field", set(Field.objects.values_list("slug", flat=True))),
            technology=pick("technology", set(Technology.objects.values_list("slug", flat=True))),
            kind=pick("kind", set(Organisation.Kind.values) - {"municipality", "secretariat"}),
            municipality=pick(
                "municipality", set(Municipality.objects.values_list("code", flat=True))
            ),
        )

    def as_query(self) -> dict:
        """Non-empty filters as query parameters."""
        return {k: v for k, v in self.__dict__.items() if v}


def solution_directory(filters: DirectoryFilters, *, page, per_page: int = 12):
    """One page of published solutions matching the directory filters."""
    qs = solutions_published()
    if filters.field:
        qs = qs.filter(fields__slug=filters.field)
    if filters.technology:
        qs = qs.filter(technologies__slug=filters.technology)
    if filters.kind:
        qs = qs.filter(organisation__kind=filters.kind)
    if filters.municipality:
        qs = qs.filter(track_record_municipalities__code=filters.municipality)
    ids = qs.values("pk")
    ordered = solutions_published().filter(pk__in=ids).order_by("-published_at", "-pk")
    return Paginator(ordered, per_page).get_page(page)


def organisation_directory(*, kind: str = "", page=None, per_page: int = 20):
    """Approved member organisations (not municipalities or the secretariat) with published solution counts."""
    qs = (
        Organisation.objects.filter(status=Organisation.Status.APPROVED)
        .exclude(kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.SECRETARIAT])
        .annotate(solution_count=Count("solutions", filter=Q(solutions__is_published=True)))
        .order_by("name_kana", "name")
    )
    if kind in set(Organisation.Kind.values):
        qs = qs.filter(kind=kind)
    return Paginator(qs, per_page).get_page(page)


def challenges_suggested_for_member(user, *, limit: int = 5) -> list[Challenge]:
    """Open challenges in the fields of the user's published solutions, newest first.

    The matching layer offers ranked suggestions with reasons; this is the plain fallback
    the dashboard shows until then.
    """
    from forum.selectors.challenges import challenge_list_open

    field_ids = SolutionProfile.objects.filter(
        organisation__in=organisations_for_user(user)
    ).values("fields")
    return list(
        challenge_list_open().filter(field_id__in=field_ids).order_by("-published_at")[:limit]
    )
