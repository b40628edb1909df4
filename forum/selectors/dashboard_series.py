"""Every dashboard figure over time, by Japanese fiscal year (April–March) or fiscal quarter.

The series are derived from the record, never from stored snapshots that could drift: the
publication date of each published challenge, the submission date of each proposal to one,
each project's start and its stage history (ProjectStageChange). A project imported with past
dates therefore places itself in the right years.

How a project is counted:

- **started**: in the period of its earliest date, its start (``created_at``) or its first
  stage change, whichever is earlier;
- **reached a stage**: in the period it *first* entered that stage. Entering the stage again
  (after a correction or a return) does not count again; a stage a project skipped is not
  counted as reached, exactly as the dashboard's funnel counts it, so that the periods of a
  series add up to the funnel's totals;
- **in progress** in a period: started by the period's end, and not yet implemented (first
  entry into implementation or roll-out) nor discontinued (its last move into 中止, when that is
  where it stands) before the period's start;
- **implementation rate of a period**: the projects that first reached implementation in it ÷
  the projects in progress in it; **cumulative**: the projects that reached implementation by the
  period's end ÷ the projects started by then;
- **median days per stage**: the days spent in a stage by the stays that *ended* in the period
  (the same stays as the dashboard's median table, placed by the day the project moved on).

``dashboard_series`` has the database count these by period (``series_facts``, through
forum.selectors.dashboard_queries, as the dashboard's figures are: a fixed number of queries,
each returning a few rows per period), then the builders make each table without touching the
database; the annual report reads one fiscal year of the same series.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum.models.projects import STAGE_ORDER, Stage
from forum.rules.fiscal_year import FiscalPeriod, fiscal_periods_between
from forum.selectors import dashboard_queries as queries
from forum.selectors.dashboard_facts import Scope, dashboard_scope
from forum.selectors.dashboard_queries import Stays
from forum.selectors.dashboard_tables import Table, rate, stage_labels

# The stages whose first entry is a figure of the activity series.
REACHED_STAGES = [Stage.POC, Stage.EVALUATION, Stage.IMPLEMENTATION, Stage.ROLLOUT]
# The stages a stay can end in (a roll-out is where a project stays).
STAY_STAGES = [s for s in STAGE_ORDER if s != Stage.ROLLOUT]


class SeriesTable(models.TextChoices):
    """The tables of figures over time."""

    ACTIVITY = "activity", gettext_lazy("年度ごとの件数")
    IMPLEMENTATION = "implementation_rate", gettext_lazy("社会実装率の推移")
    MEDIAN_DAYS = "median_days", gettext_lazy("各ステージの滞在日数（中央値）の推移")


class SeriesMeasure(models.TextChoices):
    """What a point of a series counts; its stage says of which stage."""

    CHALLENGES_PUBLISHED = "challenges_published", gettext_lazy("公開された課題数")
    PROPOSALS = "proposals", gettext_lazy("提出された提案数")
    PROJECTS_STARTED = "projects_started", gettext_lazy("開始したプロジェクト数")
    PROJECTS_REACHED = (
        "projects_reached",
        gettext_lazy("そのステージに初めて到達したプロジェクト数"),
    )
    PROJECTS_IN_PROGRESS = "projects_in_progress", gettext_lazy("推進中のプロジェクト数")
    IMPLEMENTATION_RATE = "implementation_rate", gettext_lazy("社会実装率（期間内、%）")
    PROJECTS_STARTED_TOTAL = "projects_started_total", gettext_lazy("累計プロジェクト数")
    IMPLEMENTED_TOTAL = "implemented_total", gettext_lazy("累計の社会実装到達数")
    IMPLEMENTATION_RATE_TOTAL = "implementation_rate_total", gettext_lazy("累計の社会実装率（%）")
    MEDIAN_DAYS = "median_days", gettext_lazy("滞在日数の中央値（日）")


@dataclass(frozen=True)
class SeriesPoint:
    """One number of a series: what it counts, in which period."""

    table: str
    measure: str
    period: FiscalPeriod
    value: int | float | None
    stage: str = ""


@dataclass
class TimeSeries:
    """The tables over time, their points, and the periods they run through."""

    public: bool
    today: date
    by_quarter: bool
    periods: list[FiscalPeriod]
    tables: dict[str, Table]
    points: list[SeriesPoint] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return self.tables[key]

    def value(self, measure: str, period: FiscalPeriod, stage: str = "") -> int | float | None:
        """One point's value (None when the period is outside the series)."""
        for point in self.points:
            if point.measure == measure and point.period == period and point.stage == stage:
                return point.value
        return None


def local_day(moment: datetime, zone=None) -> date:
    """The day a moment falls on in the site's time zone (Japan's), where fiscal years turn."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(zone or timezone.get_current_timezone()).date()


@dataclass(frozen=True)
class SeriesFacts:
    """The counts the series are made of, by fiscal period, all counted by the database
    (forum.selectors.dashboard_queries)."""

    today: date
    periods: list[FiscalPeriod]
    published: Counter
    submitted: Counter
    # "started", "closed" and each stage of dashboard_queries.ENTERED → projects by period.
    projects: dict[str, Counter]
    # (stage, period) → the stays in the stage that ended in that period.
    stays: dict[tuple, Stays]

    def count(self, name: str) -> Counter:
        return self.projects.get(name, Counter())


def series_facts(*, scope: Scope, today: date, by_quarter: bool) -> SeriesFacts:
    """The series' counts of a scope (dashboard_scope), in a fixed number of queries: the
    periods run from the one of the first thing counted to today's."""
    first = queries.earliest(scope.projects, scope.challenges)
    start = local_day(first) if first else today
    periods = fiscal_periods_between(min(start, today), today, by_quarter=by_quarter)
    return SeriesFacts(
        today=today,
        periods=periods,
        published=queries.published_by_period(scope.challenges, periods),
        submitted=queries.submitted_by_period(scope.challenges, periods),
        projects=queries.project_periods(scope.projects, periods),
        stays=queries.stays(scope.projects, periods),
    )


def _running(counts: Counter, periods, *, before: bool = False) -> dict[FiscalPeriod, int]:
    """For each period, the sum of the counts up to it (included, or only ``before`` it)."""
    totals, total = {}, sum(n for p, n in counts.items() if p < periods[0]) if periods else 0
    for period in periods:
        if before:
            totals[period] = total
        total += counts.get(period, 0)
        if not before:
            totals[period] = total
    return totals


def _activity(facts: SeriesFacts, periods) -> tuple[Table, list[SeriesPoint]]:
    labels = stage_labels()
    S, key = SeriesMeasure, SeriesTable.ACTIVITY
    columns = [
        (_("課題の公開"), S.CHALLENGES_PUBLISHED, "", facts.published),
        (_("提案"), S.PROPOSALS, "", facts.submitted),
        (_("プロジェクト開始"), S.PROJECTS_STARTED, "", facts.count("started")),
        *[
            (
                _("%(stage)sに到達") % {"stage": labels[stage]},
                S.PROJECTS_REACHED,
                stage,
                facts.count(stage),
            )
            for stage in REACHED_STAGES
        ],
    ]
    rows, points = [], []
    for period in periods:
        cells = [counts.get(period, 0) for _label, _m, _s, counts in columns]
        rows.append([period.label(), *cells])
        points += [
            SeriesPoint(key, measure, period, n, stage)
            for (_label, measure, stage, _c), n in zip(columns, cells, strict=True)
        ]
    table = Table(
        key=key,
        title=str(SeriesTable.ACTIVITY.label),
        headers=[_("期間"), *[c[0] for c in columns]],
        rows=rows,
        description=_(
            "課題は公開日、提案は提出日、プロジェクトは開始日とステージの履歴から、その期間に起きた件数を数えます。ステージは初めて到達した期間に一度だけ数え、飛ばしたステージは到達に含めません。"
        ),
        chart={
            "type": "bar",
            "labels": [r[0] for r in rows],
            "datasets": [
                {"label": c[0], "data": [r[1 + i] for r in rows]} for i, c in enumerate(columns)
            ],
        },
    )
    return table, points


def _implementation(facts: SeriesFacts, periods) -> tuple[Table, list[SeriesPoint]]:
    S, key = SeriesMeasure, SeriesTable.IMPLEMENTATION
    implemented = facts.count(Stage.IMPLEMENTATION)
    started = _running(facts.count("started"), periods)
    done_by = _running(implemented, periods)
    # A project closes no earlier than it starts, so those in progress in a period are the
    # ones started by its end less the ones closed before its start.
    closed_before = _running(facts.count("closed"), periods, before=True)
    rows, points = [], []
    for period in periods:
        working = started[period] - closed_before[period]
        reached = implemented.get(period, 0)
        total, done = started[period], done_by[period]
        values = [
            (S.PROJECTS_IN_PROGRESS, working),
            (S.PROJECTS_REACHED, reached),
            (S.IMPLEMENTATION_RATE, rate(reached, working)),
            (S.PROJECTS_STARTED_TOTAL, total),
            (S.IMPLEMENTED_TOTAL, done),
            (S.IMPLEMENTATION_RATE_TOTAL, rate(done, total)),
        ]
        rows.append([period.label(), *[v for _m, v in values]])
        points += [
            SeriesPoint(key, m, period, v, Stage.IMPLEMENTATION if m == S.PROJECTS_REACHED else "")
            for m, v in values
        ]
    table = Table(
        key=key,
        title=str(SeriesTable.IMPLEMENTATION.label),
        headers=[
            _("期間"),
            _("推進中"),
            _("社会実装に到達"),
            _("社会実装率（%）"),
            _("累計プロジェクト"),
            _("累計社会実装"),
            _("累計社会実装率（%）"),
        ],
        rows=rows,
        description=_(
            "推進中 = 期間の終わりまでに始まり、期間の初めより前に社会実装・横展開・中止に至っていないプロジェクト。社会実装率 = その期間に初めて社会実装に到達した数 ÷ 推進中の数。累計社会実装率 = 期間の終わりまでに社会実装に到達した数 ÷ それまでに始まったプロジェクト数。"
        ),
        chart={
            "type": "line",
            "labels": [r[0] for r in rows],
            "datasets": [
                {"label": _("社会実装率（%）"), "data": [r[3] for r in rows]},
                {"label": _("累計社会実装率（%）"), "data": [r[6] for r in rows]},
            ],
        },
    )
    return table, points


def _median_days(facts: SeriesFacts, periods) -> tuple[Table, list[SeriesPoint]]:
    labels = stage_labels()
    key = SeriesTable.MEDIAN_DAYS
    rows, points = [], []
    for period in periods:
        cells = []
        for stage in STAY_STAGES:
            found = facts.stays.get((stage, period))
            middle = found.median if found else None
            cells.append(None if middle is None else round(middle, 1))
        rows.append([period.label(), *cells])
        points += [
            SeriesPoint(key, SeriesMeasure.MEDIAN_DAYS, period, v, stage)
            for stage, v in zip(STAY_STAGES, cells, strict=True)
        ]
    table = Table(
        key=key,
        title=str(SeriesTable.MEDIAN_DAYS.label),
        headers=[_("期間"), *[labels[s] for s in STAY_STAGES]],
        rows=rows,
        description=_(
            "そのステージを出た（次のステージへ移った）日の期間ごとに、ステージに入ってから出るまでの日数の中央値です。"
        ),
        chart={
            "type": "line",
            "labels": [r[0] for r in rows],
            "datasets": [
                {"label": labels[s], "key": s, "data": [r[1 + i] for r in rows]}
                for i, s in enumerate(STAY_STAGES)
            ],
        },
    )
    return table, points


def series_from_facts(facts: SeriesFacts, *, public: bool, by_quarter: bool) -> TimeSeries:
    """Every table over time, built from the series' counts."""
    periods = facts.periods
    tables, points = {}, []
    for table, built in (
        _activity(facts, periods),
        _implementation(facts, periods),
        _median_days(facts, periods),
    ):
        tables[table.key] = table
        points += built
    return TimeSeries(
        public=public,
        today=facts.today,
        by_quarter=by_quarter,
        periods=periods,
        tables=tables,
        points=points,
    )


def dashboard_series(
    *,
    public: bool,
    by_quarter: bool = False,
    today: date | None = None,
    department_id: int | None = None,
) -> TimeSeries:
    """The figures over time for the public (public projects only) or the secretariat."""
    facts = series_facts(
        scope=dashboard_scope(public=public, department_id=department_id),
        today=today or timezone.localdate(),
        by_quarter=by_quarter,
    )
    return series_from_facts(facts, public=public, by_quarter=by_quarter)
