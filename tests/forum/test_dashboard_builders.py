"""Each dashboard builder alone, from facts made by hand: no database, one table at a time."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from forum.models import Field, Municipality
from forum.selectors.dashboard import (
    DashboardFacts,
    DashboardTable,
    Figure,
    Measure,
    ProjectFact,
    dashboard_from_facts,
    dashboard_funnel,
    dashboard_implementation,
    dashboard_median_days,
    dashboard_stage_field,
    dashboard_stage_field_municipality,
    dashboard_stages,
    dashboard_stale,
)

JST = ZoneInfo("Asia/Tokyo")
START = datetime(2025, 4, 1, 10, 0, tzinfo=JST)
TODAY = date(2025, 10, 1)
HEALTH = Field(pk=1, name_ja="健康・医療", slug="health", sort_order=1, is_active=True)
SAFETY = Field(pk=2, name_ja="防災・安全", slug="safety", sort_order=2, is_active=True)
RETIRED = Field(pk=3, name_ja="旧分野", slug="retired", sort_order=3, is_active=False)
UNUSED = Field(pk=4, name_ja="未使用の旧分野", slug="unused", sort_order=4, is_active=False)
SAKAI = Municipality(pk=11, code="271403", name="堺市", name_en="Sakai")
OSAKA = Municipality(pk=10, code="271004", name="大阪市", name_en="Osaka")


def _project(pk: int, stage: str, *, field: Field = HEALTH, title: str = "") -> ProjectFact:
    return ProjectFact(
        pk=pk, title=title or f"P{pk}", stage=stage, field_id=field.pk, created_at=START
    )


def _moves(project_id: int, *stages_and_days) -> list[tuple[int, str, datetime]]:
    """A project's history: (stage, days after START) pairs, in order."""
    return [(project_id, stage, START + timedelta(days=d)) for stage, d in stages_and_days]


def _facts(projects, history=(), places=(), latest_reports=None, **counts) -> DashboardFacts:
    return DashboardFacts(
        today=TODAY,
        projects=list(projects),
        history=list(history),
        places=list(places),
        fields=[HEALTH, SAFETY, RETIRED, UNUSED],
        municipalities={m.pk: m for m in (OSAKA, SAKAI)},
        challenge_count=counts.get("challenges", 0),
        proposal_count=counts.get("proposals", 0),
        latest_reports=latest_reports,
    )


def test_funnel_counts_projects_that_ever_reached_a_stage():
    """A project that went through PoC to implementation counts as reaching both, one in planning as neither."""
    facts = _facts(
        [_project(1, "implementation"), _project(2, "poc_planning")],
        history=_moves(1, ("matched", 0), ("poc", 10), ("evaluation", 50), ("implementation", 90))
        + _moves(2, ("matched", 0), ("poc_planning", 5)),
        challenges=5,
        proposals=7,
    )
    table, figures = dashboard_funnel(facts)
    assert [row[1] for row in table.rows] == [5, 7, 2, 1, 1, 0]
    assert figures[3] == Figure(DashboardTable.FUNNEL, Measure.PROJECTS_REACHED, 1, stage="poc")


def test_stages_counts_current_stage_with_discontinued_last():
    """Each stage counts the projects in it now, discontinued as the last row."""
    facts = _facts([_project(1, "poc"), _project(2, "poc"), _project(3, "discontinued")])
    table, figures = dashboard_stages(facts)
    assert [row[1] for row in table.rows] == [0, 0, 2, 0, 0, 0, 1]
    assert table.chart["bar_keys"][-1] == "discontinued"
    assert [f.value for f in figures] == [0, 0, 2, 0, 0, 0, 1]


def test_stage_field_shows_a_retired_field_only_while_used():
    """Active fields always have a row; a retired field only when a project still has it."""
    facts = _facts([_project(1, "poc", field=HEALTH), _project(2, "matched", field=RETIRED)])
    table, figures = dashboard_stage_field(facts)
    assert [row[0] for row in table.rows] == ["健康・医療", "防災・安全", "旧分野"]
    assert table.rows[0] == ["健康・医療", 0, 0, 1, 0, 0, 0, 0, 1]
    total = [f for f in figures if f.field == RETIRED and not f.stage]
    assert total == [Figure(DashboardTable.STAGE_FIELD, Measure.PROJECTS, 1, field=RETIRED)]


def test_stage_field_municipality_counts_a_project_once_per_municipality():
    """A project in two municipalities fills two rows, in field order then local government code."""
    facts = _facts(
        [_project(1, "poc", field=SAFETY), _project(2, "matched", field=HEALTH)],
        places=[(1, SAKAI.pk), (1, OSAKA.pk), (2, SAKAI.pk)],
    )
    table, figures = dashboard_stage_field_municipality(facts)
    assert [row[:2] + row[-1:] for row in table.rows] == [
        ["健康・医療", "堺市", 1],
        ["防災・安全", "大阪市", 1],
        ["防災・安全", "堺市", 1],
    ]
    assert len(figures) == 3 * 8


def test_implementation_rate_is_none_without_projects():
    """No projects: the rate is a dash, not a division by zero."""
    table, figures = dashboard_implementation(_facts([]))
    assert table.text_rows[2][1] == "—"
    assert figures[2] == Figure(DashboardTable.IMPLEMENTATION, Measure.IMPLEMENTATION_RATE, None)


def test_implementation_rate_counts_projects_that_left_implementation_too():
    """A project that moved on to roll-out still counts as implemented."""
    facts = _facts(
        [_project(1, "rollout"), _project(2, "poc"), _project(3, "matched")],
        history=_moves(1, ("matched", 0), ("implementation", 30), ("rollout", 60)),
    )
    table, _figures = dashboard_implementation(facts)
    assert [row[1] for row in table.rows] == [3, 1, 33.3]


def test_median_days_counts_only_stages_a_project_left():
    """Days in a stage count once the project moved on; the stage it is in now is not counted."""
    facts = _facts(
        [_project(1, "poc"), _project(2, "poc_planning")],
        history=_moves(1, ("matched", 0), ("poc_planning", 10), ("poc", 30))
        + _moves(2, ("matched", 0), ("poc_planning", 20)),
    )
    table, figures = dashboard_median_days(facts)
    assert table.rows[:3] == [
        ["マッチング成立", 2, 15.0],
        ["実証実験の準備", 1, 20.0],
        ["実証実験", 0, None],
    ]
    assert Figure(DashboardTable.MEDIAN_DAYS, Measure.MEDIAN_DAYS, 15.0, stage="matched") in figures


def test_stale_lists_the_longest_silence_first_and_skips_discontinued():
    """Working projects without a report for 90 days, longest first; a stopped project never."""
    facts = _facts(
        [
            _project(1, "poc", title="報告が古い"),
            _project(2, "poc", title="報告がない"),
            _project(3, "discontinued", title="中止"),
            _project(4, "poc", title="最近報告"),
        ],
        latest_reports={1: date(2025, 6, 1), 4: date(2025, 9, 1)},
    )
    table = dashboard_stale(facts)
    assert [row[0] for row in table.rows] == ["報告がない", "報告が古い"]
    assert table.rows[0][2:] == [None, (TODAY - START.date()).days]
    assert table.links[0] == "/projects/2/"


def test_public_dashboard_has_every_figure_table_and_no_stale_list():
    """The public dashboard is the builders' tables and figures in order, without the stale list."""
    facts = _facts([_project(1, "poc")], history=_moves(1, ("matched", 0), ("poc", 3)))
    dashboard = dashboard_from_facts(facts, public=True)
    assert list(dashboard.tables) == [
        "funnel",
        "stages",
        "stage_field",
        "stage_field_municipality",
        "implementation",
        "median_days",
        "residents",
    ]
    assert dashboard.figures[0].table == DashboardTable.FUNNEL
    assert dashboard.figures[-1].table == DashboardTable.MEDIAN_DAYS
    assert "stale" in dashboard_from_facts(facts, public=False).tables
