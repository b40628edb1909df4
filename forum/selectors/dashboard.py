"""The 見える化 dashboard: the funnel, stage counts, implementation rate, time in each stage, stale projects.

Two audiences read the same computation. The secretariat sees every project. The public version
counts only what is already public: published challenges, the number of proposals they received
(a total, never who proposed what) and projects marked public; it has no stale list, which
names projects. Every figure is computed with a fixed number of queries, however many projects
there are, from the stage history (ProjectStageChange) and the reports.

Beside the tables, every number is also kept as a ``Figure`` that says what it counts in codes
(table, measure, stage, field, municipality), built in the same loop as the cell it fills:
the API and the open data files serve those, so they cannot drift from the page.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median

from django.db import models
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum.models import (
    Challenge,
    Field,
    Municipality,
    ProgressReport,
    Project,
    ProjectStageChange,
    Proposal,
)
from forum.models.projects import STAGE_ORDER, Stage
from forum.rules.project_progress import STALE_AFTER_DAYS, project_is_stale
from forum.selectors.challenges import challenges_last_updated
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
    return str(value)


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


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def dashboard_figures(*, public: bool, today: date | None = None) -> Dashboard:
    """Every table of the dashboard, for the public (public projects only) or the secretariat."""
    today = today or timezone.localdate()
    projects_qs = Project.objects.filter(is_public=True) if public else Project.objects.all()
    projects = list(
        projects_qs.order_by("pk").values("pk", "title", "stage", "field_id", "created_at")
    )
    history = list(
        ProjectStageChange.objects.filter(project__in=projects_qs.values("pk"))
        .order_by("project_id", "created_at", "pk")
        .values_list("project_id", "to_stage", "created_at")
    )
    places = list(
        Project.municipalities.through.objects.filter(project__in=projects_qs.values("pk"))
        .order_by("municipality__code")
        .values_list("project_id", "municipality_id")
    )
    fields = list(Field.objects.order_by("sort_order", "pk"))
    municipalities = {
        m.pk: m for m in Municipality.objects.filter(pk__in={mid for _pid, mid in places})
    }
    challenge_count = Challenge.objects.filter(is_published=True).count()
    proposal_count = Proposal.objects.filter(
        challenge__is_published=True, submitted_at__isnull=False
    ).count()

    reached: dict[str, set[int]] = defaultdict(set)
    stays: dict[str, list[float]] = defaultdict(list)
    previous: dict[int, tuple[str, object]] = {}
    for project_id, to_stage, at in history:
        reached[to_stage].add(project_id)
        if project_id in previous:
            stage, since = previous[project_id]
            stays[stage].append((at - since).total_seconds() / 86400)
        previous[project_id] = (to_stage, at)

    total = len(projects)
    implemented = len(reached[Stage.IMPLEMENTATION])
    stage_labels = {value: str(label) for value, label in Stage.choices}
    all_stages = [*STAGE_ORDER, Stage.DISCONTINUED]
    tables: dict[str, Table] = {}
    figures: list[Figure] = []
    T, M = DashboardTable, Measure

    funnel = [
        (_("課題（公開中）"), Figure(T.FUNNEL, M.PUBLISHED_CHALLENGES, challenge_count)),
        (_("提案"), Figure(T.FUNNEL, M.PROPOSALS, proposal_count)),
        (_("プロジェクト"), Figure(T.FUNNEL, M.PROJECTS, total)),
        *[
            (label, Figure(T.FUNNEL, M.PROJECTS_REACHED, len(reached[stage]), stage=stage))
            for label, stage in (
                (_("実証実験に到達"), Stage.POC),
                (_("社会実装に到達"), Stage.IMPLEMENTATION),
                (_("横展開に到達"), Stage.ROLLOUT),
            )
        ],
    ]
    figures += [figure for _label, figure in funnel]
    funnel_rows = [[label, figure.value] for label, figure in funnel]
    tables["funnel"] = Table(
        key="funnel",
        title=str(T.FUNNEL.label),
        headers=[_("段階"), _("件数")],
        rows=funnel_rows,
        description=_(
            "各段階の件数です。プロジェクトの段階は、そのステージに一度でも到達したプロジェクトを数えます。"
        ),
        chart={
            "type": "bar",
            "horizontal": True,
            "labels": [r[0] for r in funnel_rows],
            "datasets": [{"label": _("件数"), "data": [r[1] for r in funnel_rows]}],
        },
    )

    by_stage = Counter(p["stage"] for p in projects)
    stage_rows = [[stage_labels[s], by_stage.get(s, 0)] for s in all_stages]
    figures += [Figure(T.STAGES, M.PROJECTS, by_stage.get(s, 0), stage=s) for s in all_stages]
    tables["stages"] = Table(
        key="stages",
        title=str(T.STAGES.label),
        headers=[_("ステージ"), _("プロジェクト数")],
        rows=stage_rows,
        chart={
            "type": "bar",
            "labels": [r[0] for r in stage_rows],
            "bar_keys": list(all_stages),
            "datasets": [{"label": _("プロジェクト数"), "data": [r[1] for r in stage_rows]}],
        },
    )

    field_stage = Counter((p["field_id"], p["stage"]) for p in projects)
    used_fields = {p["field_id"] for p in projects}
    shown_fields = [f for f in fields if f.is_active or f.pk in used_fields]
    field_rows = [
        [f.name, *[field_stage.get((f.pk, s), 0) for s in all_stages], 0] for f in shown_fields
    ]
    for f, row in zip(shown_fields, field_rows, strict=True):
        row[-1] = sum(row[1:-1])
        figures += [
            Figure(T.STAGE_FIELD, M.PROJECTS, row[1 + i], stage=s, field=f)
            for i, s in enumerate(all_stages)
        ]
        figures.append(Figure(T.STAGE_FIELD, M.PROJECTS, row[-1], field=f))
    tables["stage_field"] = Table(
        key="stage_field",
        title=str(T.STAGE_FIELD.label),
        headers=[_("分野"), *[stage_labels[s] for s in all_stages], _("合計")],
        rows=field_rows,
        chart={
            "type": "bar",
            "stacked": True,
            "labels": [r[0] for r in field_rows],
            "datasets": [
                {"label": stage_labels[s], "key": s, "data": [r[1 + i] for r in field_rows]}
                for i, s in enumerate(all_stages)
            ],
        },
    )

    by_pk = {p["pk"]: p for p in projects}
    cube = Counter()
    for project_id, municipality_id in places:
        project = by_pk[project_id]
        cube[(project["field_id"], municipality_id, project["stage"])] += 1
    field_order = {f.pk: i for i, f in enumerate(fields)}
    fields_by_pk = {f.pk: f for f in fields}
    pairs = sorted(
        {(fid, mid) for fid, mid, _stage in cube},
        key=lambda pair: (field_order.get(pair[0], 0), municipalities[pair[1]].code),
    )
    cube_rows = []
    for fid, mid in pairs:
        counts = [cube.get((fid, mid, s), 0) for s in all_stages]
        row_field, row_place = fields_by_pk[fid], municipalities[mid]
        cube_rows.append([row_field.name, row_place.display_name, *counts, sum(counts)])
        figures += [
            Figure(
                T.STAGE_FIELD_MUNICIPALITY,
                M.PROJECTS,
                n,
                stage=s,
                field=row_field,
                municipality=row_place,
            )
            for s, n in zip(all_stages, counts, strict=True)
        ]
        figures.append(
            Figure(
                T.STAGE_FIELD_MUNICIPALITY,
                M.PROJECTS,
                sum(counts),
                field=row_field,
                municipality=row_place,
            )
        )
    tables["stage_field_municipality"] = Table(
        key="stage_field_municipality",
        title=str(T.STAGE_FIELD_MUNICIPALITY.label),
        headers=[_("分野"), _("市町村"), *[stage_labels[s] for s in all_stages], _("合計")],
        rows=cube_rows,
        description=_("複数の市町村が参加するプロジェクトは、参加する市町村ごとに数えます。"),
    )

    rate = _rate(implemented, total)
    figures += [
        Figure(T.IMPLEMENTATION, M.PROJECTS, total),
        Figure(T.IMPLEMENTATION, M.PROJECTS_REACHED, implemented, stage=Stage.IMPLEMENTATION),
        Figure(T.IMPLEMENTATION, M.IMPLEMENTATION_RATE, rate),
    ]
    tables["implementation"] = Table(
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

    median_rows = []
    for stage in STAGE_ORDER:
        durations = stays.get(stage, [])
        middle = round(median(durations), 1) if durations else None
        median_rows.append([stage_labels[stage], len(durations), middle])
        figures += [
            Figure(T.MEDIAN_DAYS, M.STAGE_EXITS, len(durations), stage=stage),
            Figure(T.MEDIAN_DAYS, M.MEDIAN_DAYS, middle, stage=stage),
        ]
    tables["median_days"] = Table(
        key="median_days",
        title=str(T.MEDIAN_DAYS.label),
        headers=[_("ステージ"), _("次のステージへ移った件数"), _("中央値（日）")],
        rows=median_rows,
        description=_(
            "ステージの履歴から、そのステージに入ってから次のステージへ移るまでの日数を数えます。まだそのステージにいるプロジェクトは含みません。"
        ),
        chart={
            "type": "bar",
            "labels": [r[0] for r in median_rows],
            "bar_keys": list(STAGE_ORDER),
            "datasets": [{"label": _("中央値（日）"), "data": [r[2] or 0 for r in median_rows]}],
        },
    )

    if not public:
        latest = dict(
            ProgressReport.objects.filter(project__in=projects_qs.values("pk"))
            .order_by()
            .values("project_id")
            .annotate(latest=Max("reported_on"))
            .values_list("project_id", "latest")
        )
        stale_rows, links, candidates = [], {}, []
        for p in projects:
            started_on = timezone.localtime(p["created_at"]).date()
            last = latest.get(p["pk"])
            if project_is_stale(
                stage=p["stage"], started_on=started_on, last_report_on=last, today=today
            ):
                candidates.append(((today - (last or started_on)).days, p, last))
        candidates.sort(key=lambda c: (-c[0], c[1]["pk"]))
        for i, (days, p, last) in enumerate(candidates):
            stale_rows.append(
                [p["title"], stage_labels[p["stage"]], last.isoformat() if last else None, days]
            )
            links[i] = reverse("projects:detail", args=[p["pk"]])
        tables["stale"] = Table(
            key="stale",
            title=_("%(days)s日以上報告のないプロジェクト") % {"days": STALE_AFTER_DAYS},
            headers=[_("プロジェクト"), _("ステージ"), _("最終報告日"), _("報告のない日数")],
            rows=stale_rows,
            description=_(
                "中止を除くプロジェクトのうち、最後の進捗報告（報告がなければ開始日）から90日以上たったものです。"
            ),
            links=links,
        )

    return Dashboard(
        public=public,
        today=today,
        tables=tables,
        project_count=total,
        implemented_count=implemented,
        implementation_rate=rate,
        figures=figures,
    )


def dashboard_last_updated() -> datetime | None:
    """When the public figures last changed: a published challenge, a proposal submitted to
    one, or the public projects (their stage moves included) changing."""
    submitted = Proposal.objects.filter(challenge__is_published=True).aggregate(
        last=Max("submitted_at")
    )["last"]
    dates = [d for d in (challenges_last_updated(), submitted, project_public_last_updated()) if d]
    return max(dates) if dates else None
