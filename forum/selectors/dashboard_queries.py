"""The queries the dashboard, its figures over time and the annual report are counted with.

Every figure is counted by the database and comes back already summed: a few rows per stage
and period, however many projects and stage changes there are. What each count means is said
once, here, and the three readers build their tables from these results, so the report's
numbers are the dashboard's.

- A project **reached** a stage when it first entered it (its earliest change into it).
- A **stay** in a stage is the time from a change to the project's next change (``LAG`` over
  the project's changes in time order); it ends on the day of the next change.
- A project **started** on its start (``created_at``) or its first stage change, whichever
  is earlier, and **closed** on its first entry into implementation or roll-out, or on its
  last move into 中止 when that is where it stands.
- Periods (fiscal years or quarters) are placed by their bounds as instants: midnight in
  Tokyo of their first day (forum.rules.fiscal_year), so a fiscal year turns between 31 March
  and 1 April in Japan's time, and no row needs converting to a local date.
- Medians are ``percentile_cont(0.5)`` on PostgreSQL. SQLite has no percentile: there the
  same query keeps only the one or two middle values of each group (by ``ROW_NUMBER`` and
  ``COUNT`` over the group) and averages them, which is the same median.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Lag, Least, RowNumber, TruncDate
from django.db.models.lookups import LessThan
from django.utils import timezone

from forum.models import Project, ProjectStageChange, Proposal
from forum.models.projects import Stage
from forum.rules.fiscal_year import FiscalPeriod
from forum.rules.project_progress import REPORTING_STAGES, STALE_AFTER_DAYS


class DaysBetween(Func):
    """The days, with their fraction, from the second datetime to the first."""

    output_field = FloatField()
    arity = 2

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(DATE_PART('epoch', %(expressions)s) / 86400.0)",
            arg_joiner=" - ",
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra,
        )


def project_scope(projects: QuerySet) -> QuerySet:
    """The projects to count, as a plain filter by primary key, so that joins a narrowing
    needed (a call's challenges) never count a project twice."""
    return Project.objects.filter(pk__in=projects.order_by().values("pk"))


def period_starts(periods: list[FiscalPeriod]) -> list[datetime]:
    """The instants the periods start at, and the one the last ends at (midnight, local)."""
    zone = timezone.get_current_timezone()
    days = [p.bounds[0] for p in periods] + [periods[-1].bounds[1] + timedelta(days=1)]
    return [datetime.combine(day, time(), zone) for day in days]


class PeriodIndex(Func):
    """The index in ``starts`` of the period a moment falls in (-1 before the first; None or
    past the last period after it, both outside): a CASE over the bounds, or on PostgreSQL
    ``width_bucket``, a binary search over them, since a series by quarter has many."""

    output_field = IntegerField()

    def __init__(self, moment, starts: list[datetime]):
        self.starts = list(starts)
        before = [
            When(LessThan(moment, Value(at, output_field=DateTimeField())), then=Value(i - 1))
            for i, at in enumerate(self.starts)
        ]
        super().__init__(moment, Case(*before, default=None, output_field=IntegerField()))

    def as_sql(self, compiler, connection, **extra):
        return compiler.compile(self.source_expressions[1])

    def as_postgresql(self, compiler, connection, **extra):
        moment, params = compiler.compile(self.source_expressions[0])
        return f"(width_bucket({moment}, %s::timestamptz[]) - 1)", [*params, self.starts]


def _period_of(moment, starts: list[datetime]) -> PeriodIndex:
    return PeriodIndex(moment, starts)


def _by_period(rows, periods: list[FiscalPeriod]) -> Counter:
    """{period: n} of (index, n) rows, leaving out what falls outside the periods."""
    return Counter({periods[i]: n for i, n in rows if i is not None and 0 <= i < len(periods)})


def _count_by_period(queryset: QuerySet, moment, periods: list[FiscalPeriod]) -> Counter:
    return _by_period(
        queryset.order_by()
        .annotate(period=_period_of(moment, period_starts(periods)))
        .values_list("period")
        .annotate(n=Count("pk"))
        .values_list("period", "n"),
        periods,
    )


def published_by_period(challenges: QuerySet, periods: list[FiscalPeriod]) -> Counter:
    """Published challenges by the period they were published in (their last change when a
    publication date is missing, which none should be)."""
    return _count_by_period(challenges, Coalesce("published_at", "updated_at"), periods)


def _proposals(challenges: QuerySet) -> QuerySet:
    return Proposal.objects.filter(
        challenge__in=challenges.order_by().values("pk"), submitted_at__isnull=False
    )


def submitted_by_period(challenges: QuerySet, periods: list[FiscalPeriod]) -> Counter:
    """Proposals submitted to the challenges, by the period they were submitted in."""
    return _count_by_period(_proposals(challenges), F("submitted_at"), periods)


def proposal_count(challenges: QuerySet) -> int:
    """The proposals submitted to the challenges."""
    return _proposals(challenges).count()


def earliest(scope: QuerySet, challenges: QuerySet) -> datetime | None:
    """The first moment a series counts: a project's start or stage change, a challenge's
    publication or a proposal's submission."""
    found = [
        scope.aggregate(at=Min("created_at"))["at"],
        ProjectStageChange.objects.filter(project__in=scope.values("pk")).aggregate(
            at=Min("created_at")
        )["at"],
        challenges.aggregate(at=Min(Coalesce("published_at", "updated_at")))["at"],
        _proposals(challenges).aggregate(at=Min("submitted_at"))["at"],
    ]
    return min((at for at in found if at is not None), default=None)


def _changes(scope: QuerySet, starts: list[datetime] | None = None) -> QuerySet:
    """The scope's stage changes, each with the stage it left and the days it spent there, and
    the index of the period it fell in when period ``starts`` are given."""
    in_time = [F("created_at").asc(), F("pk").asc()]
    by_period = {"period": _period_of(F("created_at"), starts)} if starts else {}
    return (
        ProjectStageChange.objects.filter(project__in=scope.values("pk"))
        .order_by()
        .annotate(
            left_stage=Window(Lag("to_stage"), partition_by=[F("project_id")], order_by=in_time),
            days=DaysBetween(
                F("created_at"),
                Window(Lag("created_at"), partition_by=[F("project_id")], order_by=in_time),
            ),
            **by_period,
        )
    )


def _select(inner: QuerySet, sql: str, extra_params=()) -> list[tuple]:
    """The rows of ``sql``, whose ``{t}`` is the query ``inner`` in parentheses."""
    inner_sql, params = inner.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql.format(t=f"({inner_sql})"), [*params, *extra_params])
        return cursor.fetchall()


def reached_counts(scope: QuerySet, stages: list[str] | None = None) -> dict[str, int]:
    """stage → the projects that ever entered it (of ``stages`` only, when given)."""
    changes = ProjectStageChange.objects.filter(project__in=scope.values("pk"))
    if stages is not None:
        changes = changes.filter(to_stage__in=stages)
    entered = changes.order_by().values("project_id", "to_stage").distinct()
    return dict(_select(entered, "SELECT to_stage, COUNT(*) FROM {t} t GROUP BY to_stage"))


# The stages whose first entries are counted by period.
ENTERED = [Stage.POC, Stage.EVALUATION, Stage.IMPLEMENTATION, Stage.ROLLOUT]


def project_periods(scope: QuerySet, periods: list[FiscalPeriod]) -> dict[str, Counter]:
    """By period: the projects that started (``"started"``), closed (``"closed"``) and first
    entered each stage of ENTERED (the stage's value), in one pass over the stage changes."""
    starts = period_starts(periods)
    change = "stage_changes__created_at"
    done = Q(stage_changes__to_stage__in=[Stage.IMPLEMENTATION, Stage.ROLLOUT])
    stopped = Q(stage_changes__to_stage=Stage.DISCONTINUED, stage=Stage.DISCONTINUED)
    per_project = (
        scope.order_by()
        .values("pk")
        .annotate(
            began=_period_of(Least("created_at", Coalesce(Min(change), "created_at")), starts),
            done=_period_of(Min(change, filter=done), starts),
            stop=_period_of(Max(change, filter=stopped), starts),
            **{
                f"first_{stage}": _period_of(
                    Min(change, filter=Q(stage_changes__to_stage=stage)), starts
                )
                for stage in ENTERED
            },
        )
        .values("began", "done", "stop", *[f"first_{stage}" for stage in ENTERED])
    )
    # Periods are in time order, so the earlier of two moments is in the lower period.
    closed = (
        "CASE WHEN done IS NULL THEN stop WHEN stop IS NULL THEN done"
        " WHEN done < stop THEN done ELSE stop END"
    )
    parts = [("started", "began"), ("closed", closed)]
    parts += [(stage, f"first_{stage}") for stage in ENTERED]
    sql = " UNION ALL ".join(
        f"SELECT '{name}', {key}, COUNT(*) FROM t WHERE {key} IS NOT NULL GROUP BY {key}"
        for name, key in parts
    )
    rows: dict[str, list] = defaultdict(list)
    for name, index, n in _select(per_project, "WITH t AS {t} " + sql):
        rows[name].append((index, n))
    return {name: _by_period(found, periods) for name, found in rows.items()}


def median_sql(keys: list[str], vendor: str) -> str:
    """Per group of ``keys`` of the stays ``{t}``: the keys, the stays and their median days."""
    group = ", ".join(["left_stage", *keys])
    stays = "FROM {t} t WHERE left_stage IS NOT NULL"
    if vendor == "postgresql":
        return (
            f"SELECT {group}, COUNT(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY days) "
            f"{stays} GROUP BY {group}"
        )
    return (
        f"SELECT {group}, MAX(n), AVG(days) FROM (SELECT {group}, days,"
        f" ROW_NUMBER() OVER (PARTITION BY {group} ORDER BY days) AS r,"
        f" COUNT(*) OVER (PARTITION BY {group}) AS n {stays}) middle"
        f" WHERE r IN ((n + 1) / 2, (n + 2) / 2) GROUP BY {group}"
    )


@dataclass(frozen=True)
class Stays:
    """How many stays in a stage ended, and their median length in days."""

    count: int
    median: float | None


def stays(
    scope: QuerySet, periods: list[FiscalPeriod] | None = None, *, vendor: str | None = None
) -> dict:
    """The stays that ended, by stage: ``{stage: Stays}`` of all time, or ``{(stage, period):
    Stays}`` by the period they ended in when ``periods`` are given."""
    inner = _changes(scope, period_starts(periods) if periods else None)
    keys = ["period"] if periods else []
    rows = _select(
        inner.values("left_stage", "days", *keys), median_sql(keys, vendor or connection.vendor)
    )
    found = {}
    for stage, *rest in rows:
        *where, count, middle = rest
        key = stage
        if periods:
            if where[0] is None or not 0 <= where[0] < len(periods):
                continue
            key = (stage, periods[where[0]])
        found[key] = Stays(int(count), None if middle is None else float(middle))
    return found


def _first_change(**where) -> Subquery:
    return Subquery(
        ProjectStageChange.objects.filter(project=OuterRef("pk"), **where)
        .order_by()
        .values("project")
        .annotate(at=Min("created_at"))
        .values("at")
    )


def projects_by_field_stage(scope: QuerySet) -> Counter:
    """(field id, stage) → projects in that stage now."""
    return Counter(
        {
            (field_id, stage): n
            for field_id, stage, n in scope.order_by()
            .values_list("field_id", "stage")
            .annotate(n=Count("pk"))
        }
    )


def projects_by_field_place_stage(scope: QuerySet) -> Counter:
    """(field id, municipality id, stage) → projects; a project counts once per municipality."""
    through = Project.municipalities.through
    return Counter(
        {
            (field_id, place_id, stage): n
            for field_id, place_id, stage, n in through.objects.filter(
                project__in=scope.values("pk")
            )
            .order_by()
            .values_list("project__field_id", "municipality_id", "project__stage")
            .annotate(n=Count("pk"))
        }
    )


def stale_projects(scope: QuerySet, today: date) -> QuerySet:
    """Projects in a stage that expects reports (``REPORTING_STAGES``: matched to evaluation)
    with no report for STALE_AFTER_DAYS (counted from their start when they never reported),
    longest silence first, each with ``last_report_on`` and ``quiet_since``. Implemented,
    rolled-out and discontinued projects are not stalled and never listed."""
    return (
        scope.filter(stage__in=REPORTING_STAGES)
        .annotate(last_report_on=Max("reports__reported_on"))
        .annotate(quiet_since=Coalesce("last_report_on", TruncDate("created_at")))
        .filter(quiet_since__lte=today - timedelta(days=STALE_AFTER_DAYS))
        .order_by("quiet_since", "pk")
    )


def stale_by_department(stale: QuerySet, listed: int) -> tuple[dict, list[Project]]:
    """(department id → stale projects, the first ``listed`` of each department)."""
    counts = dict(
        Project.objects.filter(pk__in=stale.values("pk"))
        .order_by()
        .values_list("department_id")
        .annotate(n=Count("pk"))
        .values_list("department_id", "n")
    )
    rank = Window(
        RowNumber(),
        partition_by=[F("department_id")],
        order_by=[F("quiet_since").asc(), F("pk").asc()],
    )
    first = stale.annotate(rank=rank).filter(rank__lte=listed).order_by("quiet_since", "pk")
    return counts, list(first)


def reached_in(scope: QuerySet, stage: str, start, end) -> QuerySet:
    """Projects whose first entry into ``stage`` fell from ``start`` (included) to ``end``
    (excluded), in that order, each with ``reached_at``."""
    return (
        scope.annotate(reached_at=_first_change(to_stage=stage))
        .filter(reached_at__gte=start, reached_at__lt=end)
        .order_by("reached_at", "pk")
    )
