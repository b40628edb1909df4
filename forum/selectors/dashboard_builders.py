"""One builder per dashboard table: facts in, the table and its figures out, no database."""

from collections import Counter
from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext as _

from forum.language import localized
from forum.models import Field
from forum.models.projects import STAGE_ORDER, Stage
from forum.rules.project_progress import STALE_AFTER_DAYS
from forum.selectors.dashboard_facts import DashboardFacts
from forum.selectors.dashboard_tables import (
    ALL_STAGES,
    FUNNEL_REACHED,
    DashboardTable,
    Figure,
    Measure,
    Table,
    stage_labels,
)

# --- one builder per table ----------------------------------------------------------------------

Built = tuple[Table, list[Figure]]
T, M = DashboardTable, Measure


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
    labels = stage_labels()
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
    labels = stage_labels()
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
    labels = stage_labels()
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
    labels = stage_labels()
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
    labels = stage_labels()
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
            "進捗報告を続けるステージ（マッチング成立から評価まで）のプロジェクトのうち、最後の進捗報告（報告がなければ開始日）から90日以上たったものです。社会実装・横展開・中止のプロジェクトは含みません。"
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
