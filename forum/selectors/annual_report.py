"""The annual report (年次報告) of one fiscal year for the strategy meeting.

It is read from the very counts and series the secretariat's dashboard shows
(``series_facts`` → ``series_from_facts``, counted by forum.selectors.dashboard_queries), for
one fiscal year: the year's counts, the implementation rate of the year and cumulative, the
median days per stage, the projects that reached implementation and roll-out in the year (the
first LISTED of each, with how many there are), the stale projects by department and the case
studies among the year's listed public projects. A number of the report is therefore always the
number of the dashboard's row for the same year.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Department, Project
from forum.models.projects import Stage
from forum.rules.fiscal_year import FiscalPeriod, fiscal_year_of
from forum.selectors import dashboard_queries as queries
from forum.selectors.dashboard_facts import dashboard_scope
from forum.selectors.dashboard_series import (
    SeriesMeasure,
    TimeSeries,
    local_day,
    series_facts,
    series_from_facts,
)
from forum.selectors.dashboard_tables import Table

# How many case studies the report prints.
CASE_STUDIES = 6
# How many projects a list of the report names, and how many stale ones per department; the
# counts always cover every project.
LISTED = 50
STALE_LISTED = 10


@dataclass
class ReportProject:
    pk: int
    title: str
    stage: str
    reached_on: date
    department: str


@dataclass
class AnnualReport:
    """One fiscal year, as the strategy meeting reads it."""

    year: int
    period: FiscalPeriod
    today: date
    series: TimeSeries
    figures: dict[str, int | float | None]
    implemented: list[ReportProject]
    rolled_out: list[ReportProject]
    # Each department's first STALE_LISTED stale projects as (days without a report, project).
    stale_by_department: list[tuple[str, list[tuple[int, Project]]]]
    case_studies: list[Project]
    # How many projects each list has in all; a list names only the first of them.
    implemented_count: int = 0
    rolled_out_count: int = 0
    stale_counts: dict[str, int] = field(default_factory=dict)
    # Public outcome KPIs rolled up for the year: filled once the KPI roll-up exists; the
    # report shows the section only when there is something in it.
    kpis: list = field(default_factory=list)

    @property
    def implemented_listed(self) -> list[ReportProject]:
        return self.implemented[:LISTED]

    @property
    def rolled_out_listed(self) -> list[ReportProject]:
        return self.rolled_out[:LISTED]

    @property
    def stale_listed(self) -> list[tuple[str, int, list, int]]:
        """(department, stale projects, the first of them, how many more) per department."""
        listed = []
        for name, found in self.stale_by_department:
            count = self.stale_counts.get(name, len(found))
            listed.append((name, count, found[:STALE_LISTED], max(0, count - STALE_LISTED)))
        return listed

    @property
    def label(self) -> str:
        return self.period.label()

    def year_table(self, key: str) -> Table:
        """The series table cut to the report's year and the years before it."""
        table = self.series.table(key)
        keep = [i for i, p in enumerate(self.series.periods) if p <= self.period]
        rows = [table.rows[i] for i in keep]
        chart = dict(table.chart or {})
        if chart:
            chart["labels"] = [r[0] for r in rows]
            chart["datasets"] = [
                {**d, "data": [d["data"][i] for i in keep]} for d in chart["datasets"]
            ]
        return Table(
            key=table.key,
            title=table.title,
            headers=table.headers,
            rows=rows,
            description=table.description,
            chart=chart or None,
        )


def _figures(series: TimeSeries, period: FiscalPeriod) -> dict[str, int | float | None]:
    S = SeriesMeasure
    value = series.value
    return {
        "challenges_published": value(S.CHALLENGES_PUBLISHED, period),
        "proposals": value(S.PROPOSALS, period),
        "projects_started": value(S.PROJECTS_STARTED, period),
        "reached_poc": value(S.PROJECTS_REACHED, period, Stage.POC),
        "reached_evaluation": value(S.PROJECTS_REACHED, period, Stage.EVALUATION),
        "reached_implementation": value(S.PROJECTS_REACHED, period, Stage.IMPLEMENTATION),
        "reached_rollout": value(S.PROJECTS_REACHED, period, Stage.ROLLOUT),
        "in_progress": value(S.PROJECTS_IN_PROGRESS, period),
        "implementation_rate": value(S.IMPLEMENTATION_RATE, period),
        "projects_total": value(S.PROJECTS_STARTED_TOTAL, period),
        "implemented_total": value(S.IMPLEMENTED_TOTAL, period),
        "implementation_rate_total": value(S.IMPLEMENTATION_RATE_TOTAL, period),
    }


def _reached_in(scope, period: FiscalPeriod, stage: str, departments) -> tuple[list, int]:
    """The first LISTED projects that first reached ``stage`` in the period, and how many did."""
    start, end = period.bounds
    zone = timezone.get_current_timezone()
    reached = queries.reached_in(
        scope,
        stage,
        datetime.combine(start, time(), zone),
        datetime.combine(end + timedelta(days=1), time(), zone),
    ).only("pk", "title", "stage", "department_id")
    listed = [
        ReportProject(
            pk=p.pk,
            title=p.title,
            stage=p.stage,
            reached_on=local_day(p.reached_at, zone),
            department=departments.get(p.department_id, ""),
        )
        for p in reached[:LISTED]
    ]
    return listed, reached.count() if len(listed) == LISTED else len(listed)


def _stale_by_department(scope, today: date, departments) -> tuple[list, dict[str, int]]:
    """(department, the first STALE_LISTED of its stale projects) with the most stale first,
    and how many each has."""
    counts, first = queries.stale_by_department(queries.stale_projects(scope, today), STALE_LISTED)
    name = {pk: departments.get(pk) or _("担当所属なし") for pk in counts}
    groups: dict[str, list] = defaultdict(list)
    for project in first:
        groups[name[project.department_id]].append(((today - project.quiet_since).days, project))
    totals = {name[pk]: n for pk, n in counts.items()}
    ordered = sorted(groups.items(), key=lambda item: (-totals[item[0]], item[0]))
    return ordered, totals


def annual_report(*, year: int, today: date | None = None) -> AnnualReport:
    """The report of fiscal year ``year`` over every project (the secretariat's figures)."""
    today = today or timezone.localdate()
    scope = dashboard_scope(public=False)
    series = series_from_facts(
        series_facts(scope=scope, today=today, by_quarter=False), public=False, by_quarter=False
    )
    period = FiscalPeriod(year)
    departments = {
        # "大阪市 デジタル統括室" / "Osaka City Digital Transformation Bureau" (Department.__str__)
        d.pk: str(d)
        for d in Department.objects.select_related("organisation__municipality")
    }
    implemented, implemented_count = _reached_in(
        scope.projects, period, Stage.IMPLEMENTATION, departments
    )
    rolled_out, rolled_out_count = _reached_in(scope.projects, period, Stage.ROLLOUT, departments)
    shown = [p.pk for p in [*rolled_out, *implemented]]
    case_studies = sorted(
        Project.objects.filter(pk__in=shown, is_public=True)
        .exclude(case_study="")
        .prefetch_related("municipalities"),
        key=lambda p: shown.index(p.pk),
    )[:CASE_STUDIES]
    stale, stale_counts = _stale_by_department(scope.projects, today, departments)
    return AnnualReport(
        year=year,
        period=period,
        today=today,
        series=series,
        figures=_figures(series, period),
        implemented=implemented,
        rolled_out=rolled_out,
        implemented_count=implemented_count,
        rolled_out_count=rolled_out_count,
        stale_by_department=stale,
        stale_counts=stale_counts,
        case_studies=case_studies,
    )


def annual_report_years(today: date | None = None) -> list[int]:
    """The fiscal years a report can be made for: from the forum's founding year (FY2020) to now."""
    current = fiscal_year_of(today or timezone.localdate())
    return list(range(current, 2019, -1))
