"""What the dashboard counts: the facts read from the database in a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db import models

from forum.models import Call, Challenge, Field, Municipality, Project
from forum.models.projects import Stage
from forum.selectors import dashboard_queries as queries
from forum.selectors.dashboard_queries import Stays
from forum.selectors.dashboard_tables import FUNNEL_REACHED, rate
from forum.selectors.needs import need_figures

# How many stale projects the dashboard names; the rest are counted, and listed in full on
# their own paginated page.
STALE_SHOWN = 20


@dataclass(frozen=True)
class StaleProject:
    """A working project that stopped reporting, as the stale list names it."""

    pk: int
    title: str
    stage: str
    department_id: int | None
    last_report_on: date | None
    quiet_days: int
    title_en: str = ""


@dataclass(frozen=True)
class DashboardFacts:
    """Everything the tables are built from, counted by the database (dashboard_queries).

    ``by_field_stage`` is (field id, stage) → projects in that stage now;
    ``by_field_place_stage`` the same per municipality; ``reached`` stage → projects that ever
    entered it, for the stages of FUNNEL_REACHED; ``stays`` stage → the stays in it that ended
    and their median days; ``stale`` the first STALE_SHOWN stale projects and ``stale_count``
    all of them, for the secretariat only (None for the public).
    """

    today: date
    fields: list[Field]
    municipalities: dict[int, Municipality]
    challenge_count: int
    proposal_count: int
    by_field_stage: Counter = field(default_factory=Counter)
    by_field_place_stage: Counter = field(default_factory=Counter)
    reached: dict[str, int] = field(default_factory=dict)
    stays: dict[str, Stays] = field(default_factory=dict)
    stale: list[StaleProject] | None = None
    stale_count: int = 0
    # Residents' needs and support, counted per municipality and field (need_figures): counts
    # only, of the whole forum (needs belong to no call or department, so a narrowed view has
    # none); ``need_places`` the municipalities they name, by code.
    need_rows: list[dict] = field(default_factory=list)
    need_places: dict[str, Municipality] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_field_stage.values())

    @property
    def implemented(self) -> int:
        return self.reached.get(Stage.IMPLEMENTATION, 0)

    @property
    def implementation_rate(self) -> float | None:
        return rate(self.implemented, self.total)


@dataclass(frozen=True)
class Scope:
    """What a reading counts: the projects (by primary key) and the published challenges."""

    projects: models.QuerySet
    challenges: models.QuerySet


def dashboard_scope(
    *, public: bool, call: Call | None = None, department_id: int | None = None
) -> Scope:
    """The public projects or every one, and the published challenges, narrowed to one call's
    challenges and the projects that came from them, and to what one department owns."""
    projects_qs = Project.objects.filter(is_public=True) if public else Project.objects.all()
    challenges_qs = Challenge.objects.filter(is_published=True)
    if call is not None:
        challenges_qs = challenges_qs.filter(call=call)
        projects_qs = projects_qs.filter(challenges__call=call)
    if department_id is not None:
        projects_qs = projects_qs.filter(department_id=department_id)
        challenges_qs = challenges_qs.filter(department_id=department_id)
    return Scope(projects=queries.project_scope(projects_qs), challenges=challenges_qs)


def _stale(scope: Scope, today: date) -> tuple[list[StaleProject], int]:
    stale = queries.stale_projects(scope.projects, today)
    shown = [
        StaleProject(
            pk=p.pk,
            title=p.title,
            title_en=p.title_en,
            stage=p.stage,
            department_id=p.department_id,
            last_report_on=p.last_report_on,
            quiet_days=(today - p.quiet_since).days,
        )
        for p in stale.only("pk", "title", "title_en", "stage", "department_id", "created_at")[
            :STALE_SHOWN
        ]
    ]
    return shown, stale.count() if len(shown) == STALE_SHOWN else len(shown)


def dashboard_facts(
    *,
    public: bool,
    today: date,
    call: Call | None = None,
    department_id: int | None = None,
    with_residents: bool = False,
) -> DashboardFacts:
    """The facts of the public dashboard (public projects only) or the secretariat's, in a
    fixed number of queries; narrowed to one call's challenges, their proposals and the
    projects that came from them when a call is given, and to what one department owns when
    a department is given."""
    scope = dashboard_scope(public=public, call=call, department_id=department_id)
    cube = queries.projects_by_field_place_stage(scope.projects)
    stale, stale_count = (None, 0) if public else _stale(scope, today)
    return DashboardFacts(
        today=today,
        fields=list(Field.objects.order_by("sort_order", "pk")),
        municipalities=Municipality.objects.in_bulk({mid for _f, mid, _s in cube}),
        challenge_count=scope.challenges.count(),
        proposal_count=queries.proposal_count(scope.challenges),
        by_field_stage=queries.projects_by_field_stage(scope.projects),
        by_field_place_stage=cube,
        reached=queries.reached_counts(scope.projects, FUNNEL_REACHED),
        stays=queries.stays(scope.projects),
        stale=stale,
        stale_count=stale_count,
        **_need_facts(wanted=with_residents and call is None and department_id is None),
    )


def _need_facts(*, wanted: bool) -> dict:
    """The residents' counts of the whole forum and their municipalities (four queries), for
    the dashboard's residents table; the figures over time and the annual report skip them."""
    if not wanted:
        return {}
    rows = need_figures()
    codes = {row["municipality"]["code"] for row in rows}
    return {
        "need_rows": rows,
        "need_places": {m.code: m for m in Municipality.objects.filter(code__in=codes)},
    }
