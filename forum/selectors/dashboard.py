"""The 見える化 dashboard: the funnel, stage counts, implementation rate, time in each stage, stale projects.

Two audiences read the same computation. The secretariat sees every project. The public version
counts only what is already public: published challenges, the number of proposals they received
(a total, never who proposed what) and projects marked public; it has no stale list, which
names projects.

The figures are read in two steps. ``dashboard_facts`` has the database count them
(forum.selectors.dashboard_queries: projects by field and stage, and by municipality, the
projects that reached each stage, the stays and their medians, the first stale projects and
how many there are), with a fixed number of queries that each return a few rows however many
projects there are. Then one builder per table turns the facts into the table and its
figures, without touching the database, so each can be checked alone with facts made by hand.

Beside the tables, every number is also kept as a ``Figure`` that says what it counts in codes
(table, measure, stage, field, municipality), built in the same loop as the cell it fills:
the API and the open data files serve those, so they cannot drift from the page.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum.language import localized
from forum.models import Call, Challenge, Field, Municipality, Project, Proposal
from forum.models.projects import STAGE_ORDER, Stage
from forum.rules.project_progress import STALE_AFTER_DAYS
from forum.selectors import dashboard_queries as queries
from forum.selectors.challenges import challenge_last_updated
from forum.selectors.dashboard_queries import Stays
from forum.selectors.needs import need_figures
from forum.selectors.projects.lists import project_public_last_updated

DASH = "—"


class DashboardTable(models.TextChoices):
    """The tables whose numbers are figures (the stale list names projects, so it is not one)."""

    FUNNEL = "funnel", gettext_lazy("課題からプロジェクト、社会実装、横展開まで")
    STAGES = "stages", gettext_lazy("現在のステージ別のプロジェクト数")
    STAGE_FIELD = "stage_field", gettext_lazy("分野×ステージ")
    STAGE_FIELD_MUNICIPALITY = "stage_field_municipality", gettext_lazy("分野×市町村×ステージ")
    IMPLEMENTATION = "implementation", gettext_lazy("社会実装率")
    MEDIAN_DAYS = "median_days", gettext_lazy("各ステージの滞在日数（中央値）")
    RESIDENTS = "residents", gettext_lazy("住民の声：市町村・分野ごとの困りごとと応援")


class Measure(models.TextChoices):
    """What a figure counts; its stage, field and municipality say of what (none: of all)."""

    PUBLISHED_CHALLENGES = "published_challenges", gettext_lazy("公開中の課題数")
    PROPOSALS = "proposals", gettext_lazy("公開中の課題に届いた提案数")
    PROJECTS = (
        "projects",
        gettext_lazy("プロジェクト数（ステージの指定があれば、現在そのステージにあるもの）"),
    )
    PROJECTS_REACHED = (
        "projects_reached",
        gettext_lazy("そのステージに一度でも到達したプロジェクト数"),
    )
    IMPLEMENTATION_RATE = "implementation_rate", gettext_lazy("社会実装率（%）")
    STAGE_EXITS = "stage_exits", gettext_lazy("次のステージへ移った件数")
    MEDIAN_DAYS = "median_days", gettext_lazy("滞在日数の中央値（日）")
    NEEDS_RECEIVED = "needs_received", gettext_lazy("届いた困りごとの件数")
    NEEDS_PUBLISHED = "needs_published", gettext_lazy("公開中の困りごとの件数")
    NEEDS_TO_CHALLENGES = "needs_to_challenges", gettext_lazy("課題になった困りごとの件数")
    NEED_SUPPORTS = "need_supports", gettext_lazy("困りごとへの応援の数")
    CHALLENGE_SUPPORTS = "challenge_supports", gettext_lazy("課題への応援の数")
    SUPPORTS_LOCAL = "supports_local", gettext_lazy("応援のうち、その市町村の住民からの数")
    SUPPORTS_ELSEWHERE = "supports_elsewhere", gettext_lazy("応援のうち、他の市町村の住民からの数")


@dataclass(frozen=True)
class Figure:
    """One number of the dashboard, with what it counts."""

    table: str
    measure: str
    value: int | float | None
    stage: str = ""
    field: Field | None = None
    municipality: Municipality | None = None


def cell_text(value) -> str:
    """How a cell reads in the page and in the CSV alike."""
    if value is None:
        return DASH
    if isinstance(value, float):
        return f"{value:.1f}"
    # A title in the visitor's language (forum.language.Localized) keeps its fallback mark.
    return value if isinstance(value, str) else str(value)


@dataclass
class Table:
    """One table of the dashboard, with the chart drawn from the same numbers."""

    key: str
    title: str
    headers: list[str]
    rows: list[list]
    description: str = ""
    chart: dict | None = None
    links: dict[int, str] = field(default_factory=dict)  # row index → URL of the row's first cell
    # A link under the table to the rows it leaves out (the stale list names only the first).
    more: str = ""
    more_url: str = ""

    @property
    def text_rows(self) -> list[list[str]]:
        """The rows as text, exactly as the page shows them and the CSV holds them."""
        return [[cell_text(v) for v in row] for row in self.rows]

    @property
    def html_rows(self) -> list[tuple[str, list[str]]]:
        """Each row's link (or empty) with its text cells, for the template."""
        return [(self.links.get(i, ""), row) for i, row in enumerate(self.text_rows)]


@dataclass
class Dashboard:
    public: bool
    today: date
    tables: dict[str, Table]
    project_count: int
    implemented_count: int
    implementation_rate: float | None
    figures: list[Figure] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return self.tables[key]


ALL_STAGES = [*STAGE_ORDER, Stage.DISCONTINUED]
# The stages the funnel counts the projects that ever reached (implementation gives the rate).
FUNNEL_REACHED = [Stage.POC, Stage.IMPLEMENTATION, Stage.ROLLOUT]
T, M = DashboardTable, Measure


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _stage_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Stage.choices}


# --- the facts ------------------------------------------------------------------------------------

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
        return _rate(self.implemented, self.total)


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


# --- one builder per table ----------------------------------------------------------------------

Built = tuple[Table, list[Figure]]


def dashboard_funnel(facts: DashboardFacts) -> Built:
    """From published challenges and their proposals to the projects that reached each stage."""
    funnel = [
        (_("課題（公開中）"), Figure(T.FUNNEL, M.PUBLISHED_CHALLENGES, facts.challenge_count)),
        (_("提案"), Figure(T.FUNNEL, M.PROPOSALS, facts.proposal_count)),
        (_("プロジェクト"), Figure(T.FUNNEL, M.PROJECTS, facts.total)),
        *[
            (label, Figure(T.FUNNEL, M.PROJECTS_REACHED, facts.reached.get(stage, 0), stage=stage))
            for label, stage in zip(
                (_("実証実験に到達"), _("社会実装に到達"), _("横展開に到達")),
                FUNNEL_REACHED,
                strict=True,
            )
        ],
    ]
    rows = [[label, figure.value] for label, figure in funnel]
    table = Table(
        key="funnel",
        title=str(T.FUNNEL.label),
        headers=[_("段階"), _("件数")],
        rows=rows,
        description=_(
            "各段階の件数です。プロジェクトの段階は、そのステージに一度でも到達したプロジェクトを数えます。"
        ),
        chart={
            "type": "bar",
            "horizontal": True,
            "labels": [r[0] for r in rows],
            "datasets": [{"label": _("件数"), "data": [r[1] for r in rows]}],
        },
    )
    return table, [figure for _label, figure in funnel]


def dashboard_stages(facts: DashboardFacts) -> Built:
    """The projects in each stage now."""
    labels = _stage_labels()
    by_stage = Counter()
    for (_field_id, stage), n in facts.by_field_stage.items():
        by_stage[stage] += n
    rows = [[labels[s], by_stage.get(s, 0)] for s in ALL_STAGES]
    table = Table(
        key="stages",
        title=str(T.STAGES.label),
        headers=[_("ステージ"), _("プロジェクト数")],
        rows=rows,
        chart={
            "type": "bar",
            "labels": [r[0] for r in rows],
            "bar_keys": list(ALL_STAGES),
            "datasets": [{"label": _("プロジェクト数"), "data": [r[1] for r in rows]}],
        },
    )
    return table, [Figure(T.STAGES, M.PROJECTS, by_stage.get(s, 0), stage=s) for s in ALL_STAGES]


def _row_figures(table: str, cells: list[int], **where) -> list[Figure]:
    """A row of per-stage counts as figures: one per stage, then the row's total."""
    return [
        *[
            Figure(table, M.PROJECTS, n, stage=s, **where)
            for s, n in zip(ALL_STAGES, cells, strict=True)
        ],
        Figure(table, M.PROJECTS, sum(cells), **where),
    ]


def _fields_shown(facts: DashboardFacts) -> list[Field]:
    """Every active field, and the retired ones a project still has."""
    used = {field_id for field_id, _stage in facts.by_field_stage}
    return [f for f in facts.fields if f.is_active or f.pk in used]


def _stacked_by_stage(rows: list[list], labels: dict[str, str]) -> dict:
    """A stacked bar chart of rows whose cells after the first are counts per stage."""
    return {
        "type": "bar",
        "stacked": True,
        "labels": [r[0] for r in rows],
        "datasets": [
            {"label": labels[s], "key": s, "data": [r[1 + i] for r in rows]}
            for i, s in enumerate(ALL_STAGES)
        ],
    }


def dashboard_stage_field(facts: DashboardFacts) -> Built:
    """The projects in each stage now, by field: every active field, and retired ones in use."""
    labels = _stage_labels()
    counts = facts.by_field_stage
    rows, figures = [], []
    for f in _fields_shown(facts):
        cells = [counts.get((f.pk, s), 0) for s in ALL_STAGES]
        rows.append([f.name, *cells, sum(cells)])
        figures += _row_figures(T.STAGE_FIELD, cells, field=f)
    table = Table(
        key="stage_field",
        title=str(T.STAGE_FIELD.label),
        headers=[_("分野"), *[labels[s] for s in ALL_STAGES], _("合計")],
        rows=rows,
        chart=_stacked_by_stage(rows, labels),
    )
    return table, figures


def dashboard_stage_field_municipality(facts: DashboardFacts) -> Built:
    """The projects in each stage now, by field and municipality, in field then code order."""
    labels = _stage_labels()
    cube = facts.by_field_place_stage
    field_order = {f.pk: i for i, f in enumerate(facts.fields)}
    fields_by_pk = {f.pk: f for f in facts.fields}
    places = facts.municipalities
    pairs = sorted(
        {(fid, mid) for fid, mid, _stage in cube},
        key=lambda pair: (field_order.get(pair[0], 0), places[pair[1]].code),
    )
    rows, figures = [], []
    for fid, mid in pairs:
        cells = [cube.get((fid, mid, s), 0) for s in ALL_STAGES]
        row_field, row_place = fields_by_pk[fid], places[mid]
        rows.append([row_field.name, row_place.display_name, *cells, sum(cells)])
        figures += _row_figures(
            T.STAGE_FIELD_MUNICIPALITY, cells, field=row_field, municipality=row_place
        )
    table = Table(
        key="stage_field_municipality",
        title=str(T.STAGE_FIELD_MUNICIPALITY.label),
        headers=[_("分野"), _("市町村"), *[labels[s] for s in ALL_STAGES], _("合計")],
        rows=rows,
        description=_("複数の市町村が参加するプロジェクトは、参加する市町村ごとに数えます。"),
    )
    return table, figures


def dashboard_implementation(facts: DashboardFacts) -> Built:
    """The share of projects that ever reached implementation."""
    total, implemented, rate = facts.total, facts.implemented, facts.implementation_rate
    table = Table(
        key="implementation",
        title=str(T.IMPLEMENTATION.label),
        headers=[_("指標"), _("値")],
        rows=[
            [_("プロジェクト数"), total],
            [_("社会実装に到達したプロジェクト数"), implemented],
            [_("社会実装率（%）"), rate],
        ],
        description=_("社会実装率 = 社会実装に一度でも到達したプロジェクト数 ÷ プロジェクト数。"),
        chart={
            "type": "doughnut",
            "labels": [_("社会実装に到達"), _("未到達")],
            "datasets": [
                {"label": _("プロジェクト数"), "data": [implemented, total - implemented]}
            ],
        },
    )
    return table, [
        Figure(T.IMPLEMENTATION, M.PROJECTS, total),
        Figure(T.IMPLEMENTATION, M.PROJECTS_REACHED, implemented, stage=Stage.IMPLEMENTATION),
        Figure(T.IMPLEMENTATION, M.IMPLEMENTATION_RATE, rate),
    ]


def dashboard_median_days(facts: DashboardFacts) -> Built:
    """How many projects left each working stage, and the median days they spent in it."""
    labels = _stage_labels()
    rows, figures = [], []
    for stage in STAGE_ORDER:
        found = facts.stays.get(stage)
        exits = found.count if found else 0
        middle = round(found.median, 1) if found and found.median is not None else None
        rows.append([labels[stage], exits, middle])
        figures += [
            Figure(T.MEDIAN_DAYS, M.STAGE_EXITS, exits, stage=stage),
            Figure(T.MEDIAN_DAYS, M.MEDIAN_DAYS, middle, stage=stage),
        ]
    table = Table(
        key="median_days",
        title=str(T.MEDIAN_DAYS.label),
        headers=[_("ステージ"), _("次のステージへ移った件数"), _("中央値（日）")],
        rows=rows,
        description=_(
            "ステージの履歴から、そのステージに入ってから次のステージへ移るまでの日数を数えます。まだそのステージにいるプロジェクトは含みません。"
        ),
        chart={
            "type": "bar",
            "labels": [r[0] for r in rows],
            "bar_keys": list(STAGE_ORDER),
            "datasets": [{"label": _("中央値（日）"), "data": [r[2] or 0 for r in rows]}],
        },
    )
    return table, figures


def dashboard_stale(facts: DashboardFacts) -> Table:
    """The secretariat's list of working projects without a report for STALE_AFTER_DAYS, the
    longest silence first: the first STALE_SHOWN, with how many more there are and a link to
    them all. It names projects, so it has no figures."""
    labels = _stage_labels()
    rows, links = [], {}
    for i, p in enumerate(facts.stale or []):
        last = p.last_report_on
        rows.append(
            [localized(p), labels[p.stage], last.isoformat() if last else None, p.quiet_days]
        )
        links[i] = reverse("projects:detail", args=[p.pk])
    more = facts.stale_count - len(rows)
    return Table(
        key="stale",
        title=_("%(days)s日以上報告のないプロジェクト") % {"days": STALE_AFTER_DAYS},
        headers=[_("プロジェクト"), _("ステージ"), _("最終報告日"), _("報告のない日数")],
        rows=rows,
        description=_(
            "中止を除くプロジェクトのうち、最後の進捗報告（報告がなければ開始日）から90日以上たったものです。"
        ),
        links=links,
        more=(
            _("ほか%(more)s件（全%(total)s件）をすべて見る")
            % {"more": more, "total": facts.stale_count}
            if more > 0
            else ""
        ),
        more_url=reverse("forum:dashboard_stale") if more > 0 else "",
    )


# The tables whose numbers are figures, in the page's order.
RESIDENT_MEASURES = [
    M.NEEDS_RECEIVED,
    M.NEEDS_PUBLISHED,
    M.NEEDS_TO_CHALLENGES,
    M.NEED_SUPPORTS,
    M.CHALLENGE_SUPPORTS,
    M.SUPPORTS_LOCAL,
    M.SUPPORTS_ELSEWHERE,
]


def dashboard_residents(facts: DashboardFacts) -> Built:
    """Residents' needs received, published and turned into challenges, and their support,
    per municipality and field, split into the municipality's own residents and others."""
    fields = {f.slug: f for f in facts.fields}
    rows, figures = [], []
    for row in facts.need_rows:
        place = facts.need_places.get(row["municipality"]["code"])
        subject = fields.get(row["field"]["slug"])
        if place is None or subject is None:
            continue
        supports = row["need_supports"] + row["challenge_supports"]
        cells = [
            row["needs_received"],
            row["needs_published"],
            row["needs_to_challenges"],
            row["need_supports"],
            row["challenge_supports"],
            row["supports_local"],
            supports - row["supports_local"],
        ]
        rows.append([place.display_name, subject.name, *cells])
        figures += [
            Figure(T.RESIDENTS, measure, value, field=subject, municipality=place)
            for measure, value in zip(RESIDENT_MEASURES, cells, strict=True)
        ]
    table = Table(
        key="residents",
        title=str(T.RESIDENTS.label),
        headers=[
            _("市町村"),
            _("分野"),
            _("届いた困りごと"),
            _("公開中の困りごと"),
            _("課題になった困りごと"),
            _("困りごとへの応援"),
            _("課題への応援"),
            _("うち地元の住民の応援"),
            _("うち他の市町村の住民の応援"),
        ],
        rows=rows,
        description=_("件数だけを集計しています。困りごとを送った方や応援した方は示しません。"),
    )
    return table, figures


BUILDERS: list[Callable[[DashboardFacts], Built]] = [
    dashboard_funnel,
    dashboard_stages,
    dashboard_stage_field,
    dashboard_stage_field_municipality,
    dashboard_implementation,
    dashboard_median_days,
    dashboard_residents,
]


def dashboard_from_facts(facts: DashboardFacts, *, public: bool) -> Dashboard:
    """Every table of the dashboard and its figures, built from the facts."""
    tables: dict[str, Table] = {}
    figures: list[Figure] = []
    for build in BUILDERS:
        table, built = build(facts)
        tables[table.key] = table
        figures += built
    if not public:
        tables["stale"] = dashboard_stale(facts)
    return Dashboard(
        public=public,
        today=facts.today,
        tables=tables,
        project_count=facts.total,
        implemented_count=facts.implemented,
        implementation_rate=facts.implementation_rate,
        figures=figures,
    )


def dashboard_figures(
    *,
    public: bool,
    today: date | None = None,
    call: Call | None = None,
    department_id: int | None = None,
) -> Dashboard:
    """Every table of the dashboard, for the public (public projects only) or the secretariat,
    of the whole forum, of one call or of one department's."""
    facts = dashboard_facts(
        public=public,
        today=today or timezone.localdate(),
        call=call,
        department_id=department_id,
        with_residents=True,
    )
    return dashboard_from_facts(facts, public=public)


def dashboard_stale_list(
    *, call: Call | None = None, department_id: int | None = None, today: date | None = None
) -> models.QuerySet:
    """Every stale project the secretariat's dashboard counts (narrowed as it is), the longest
    silence first, each with ``last_report_on`` and ``quiet_since``: the full stale list."""
    scope = dashboard_scope(public=False, call=call, department_id=department_id)
    return queries.stale_projects(scope.projects, today or timezone.localdate())


def dashboard_last_updated() -> datetime | None:
    """When the public figures last changed: a published challenge, a proposal submitted to
    one, or the public projects (their stage moves included) changing."""
    submitted = Proposal.objects.filter(challenge__is_published=True).aggregate(
        last=Max("submitted_at")
    )["last"]
    dates = [d for d in (challenge_last_updated(), submitted, project_public_last_updated()) if d]
    return max(dates) if dates else None
