"""The annual report (年次報告) of one fiscal year for the strategy meeting.

It is read from the very facts and series the secretariat's dashboard shows
(``dashboard_facts`` → ``series_from_facts``), for one fiscal year: the year's counts, the
implementation rate of the year and cumulative, the median days per stage, the projects that
reached implementation and roll-out in the year, the stale projects by department and the
case studies of the year's public projects. A number of the report is therefore always the
number of the dashboard's row for the same year.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Department, Project
from forum.models.projects import Stage
from forum.rules.fiscal_year import FiscalPeriod, fiscal_year_of
from forum.selectors.dashboard import (
    ProjectFact,
    Table,
    dashboard_facts,
    dashboard_stale_projects,
)
from forum.selectors.dashboard_series import (
    SeriesMeasure,
    TimeSeries,
    local_day,
    series_from_facts,
)

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
    stale_by_department: list[tuple[str, list[tuple[int, ProjectFact]]]]
    case_studies: list[Project]
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
        return [
            (name, len(found), found[:STALE_LISTED], max(0, len(found) - STALE_LISTED))
            for name, found in self.stale_by_department
        ]

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


def _reached_in(facts, period: FiscalPeriod, stage: str, departments) -> list[ReportProject]:
    start, end = period.bounds
    zone = timezone.get_current_timezone()
    first: dict[int, date] = {}
    for project_id, to_stage, at in facts.history:
        if to_stage == stage and project_id not in first:
            first[project_id] = local_day(at, zone)
    by_pk = {p.pk: p for p in facts.projects}
    found = [
        ReportProject(
            pk=pk,
            title=by_pk[pk].title,
            stage=by_pk[pk].stage,
            reached_on=day,
            department=departments.get(by_pk[pk].department_id, ""),
        )
        for pk, day in first.items()
        if start <= day <= end and pk in by_pk
    ]
    return sorted(found, key=lambda p: (p.reached_on, p.pk))


def _stale_by_department(facts, departments) -> list[tuple[str, list]]:
    groups: dict[str, list] = defaultdict(list)
    for days, project, _last in dashboard_stale_projects(facts):
        name = departments.get(project.department_id) or _("担当所属なし")
        groups[name].append((days, project))
    return sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))


def annual_report(*, year: int, today: date | None = None) -> AnnualReport:
    """The report of fiscal year ``year`` over every project (the secretariat's figures)."""
    today = today or timezone.localdate()
    facts = dashboard_facts(public=False, today=today)
    series = series_from_facts(facts, public=False, by_quarter=False)
    period = FiscalPeriod(year)
    departments = {
        d.pk: f"{d.organisation.name} {d.display_name}"
        for d in Department.objects.select_related("organisation")
    }
    implemented = _reached_in(facts, period, Stage.IMPLEMENTATION, departments)
    rolled_out = _reached_in(facts, period, Stage.ROLLOUT, departments)
    shown = [p.pk for p in [*rolled_out, *implemented]]
    case_studies = sorted(
        Project.objects.filter(pk__in=shown, is_public=True)
        .exclude(case_study="")
        .prefetch_related("municipalities"),
        key=lambda p: shown.index(p.pk),
    )[:CASE_STUDIES]
    return AnnualReport(
        year=year,
        period=period,
        today=today,
        series=series,
        figures=_figures(series, period),
        implemented=implemented,
        rolled_out=rolled_out,
        stale_by_department=_stale_by_department(facts, departments),
        case_studies=case_studies,
    )


def annual_report_years(today: date | None = None) -> list[int]:
    """The fiscal years a report can be made for: from the forum's founding year (FY2020) to now."""
    current = fiscal_year_of(today or timezone.localdate())
    return list(range(current, 2019, -1))
