"""Each dashboard builder alone, from facts made by hand: no database, one table at a time."""

from collections import Counter
from datetime import date

from forum.models import Field, Municipality
from forum.selectors.dashboard import dashboard_from_facts
from forum.selectors.dashboard_builders import (
    dashboard_funnel,
    dashboard_implementation,
    dashboard_median_days,
    dashboard_stage_field,
    dashboard_stage_field_municipality,
    dashboard_stages,
    dashboard_stale,
)
from forum.selectors.dashboard_facts import STALE_SHOWN, DashboardFacts, StaleProject
from forum.selectors.dashboard_queries import Stays
from forum.selectors.dashboard_tables import DashboardTable, Figure, Measure

TODAY = date(2025, 10, 1)
HEALTH = Field(pk=1, name_ja="健康・医療", slug="health", sort_order=1, is_active=True)
SAFETY = Field(pk=2, name_ja="防災・安全", slug="safety", sort_order=2, is_active=True)
RETIRED = Field(pk=3, name_ja="旧分野", slug="retired", sort_order=3, is_active=False)
UNUSED = Field(pk=4, name_ja="未使用の旧分野", slug="unused", sort_order=4, is_active=False)
SAKAI = Municipality(pk=11, code="271403", name="堺市", name_en="Sakai")
OSAKA = Municipality(pk=10, code="271004", name="大阪市", name_en="Osaka")


def _now(*stages_and_fields) -> Counter:
    """(field id, stage) → projects in that stage now, from (stage, field) pairs."""
    return Counter((field.pk, stage) for stage, field in stages_and_fields)


def _facts(by_field_stage=(), **given) -> DashboardFacts:
    return DashboardFacts(
        today=TODAY,
        fields=[HEALTH, SAFETY, RETIRED, UNUSED],
        municipalities={m.pk: m for m in (OSAKA, SAKAI)},
        challenge_count=given.pop("challenges", 0),
        proposal_count=given.pop("proposals", 0),
        by_field_stage=Counter(by_field_stage),
        **given,
    )


def test_funnel_shows_the_projects_that_reached_each_stage():
    """The funnel reads challenges, proposals, projects, then the projects that ever reached
    PoC, implementation and roll-out; a stage nobody reached is 0."""
    facts = _facts(
        _now(("implementation", HEALTH), ("poc_planning", HEALTH)),
        reached={"matched": 2, "poc_planning": 1, "poc": 1, "implementation": 1},
        challenges=5,
        proposals=7,
    )
    table, figures = dashboard_funnel(facts)
    assert [row[1] for row in table.rows] == [5, 7, 2, 1, 1, 0]
    assert figures[3] == Figure(DashboardTable.FUNNEL, Measure.PROJECTS_REACHED, 1, stage="poc")


def test_stages_counts_current_stage_with_discontinued_last():
    """Each stage counts the projects in it now, discontinued as the last row."""
    facts = _facts(_now(("poc", HEALTH), ("poc", SAFETY), ("discontinued", HEALTH)))
    table, figures = dashboard_stages(facts)
    assert [row[1] for row in table.rows] == [0, 0, 2, 0, 0, 0, 1]
    assert table.chart["bar_keys"][-1] == "discontinued"
    assert [f.value for f in figures] == [0, 0, 2, 0, 0, 0, 1]


def test_stage_field_shows_a_retired_field_only_while_used():
    """Active fields always have a row; a retired field only when a project still has it."""
    facts = _facts(_now(("poc", HEALTH), ("matched", RETIRED)))
    table, figures = dashboard_stage_field(facts)
    assert [row[0] for row in table.rows] == ["健康・医療", "防災・安全", "旧分野"]
    assert table.rows[0] == ["健康・医療", 0, 0, 1, 0, 0, 0, 0, 1]
    total = [f for f in figures if f.field == RETIRED and not f.stage]
    assert total == [Figure(DashboardTable.STAGE_FIELD, Measure.PROJECTS, 1, field=RETIRED)]


def test_stage_field_municipality_counts_a_project_once_per_municipality():
    """A project in two municipalities fills two rows, in field order then local government code."""
    facts = _facts(
        _now(("poc", SAFETY), ("matched", HEALTH)),
        by_field_place_stage=Counter(
            {
                (SAFETY.pk, SAKAI.pk, "poc"): 1,
                (SAFETY.pk, OSAKA.pk, "poc"): 1,
                (HEALTH.pk, SAKAI.pk, "matched"): 1,
            }
        ),
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
    table, figures = dashboard_implementation(_facts())
    assert table.text_rows[2][1] == "—"
    assert figures[2] == Figure(DashboardTable.IMPLEMENTATION, Measure.IMPLEMENTATION_RATE, None)


def test_implementation_rate_counts_projects_that_left_implementation_too():
    """A project that moved on to roll-out still counts as implemented: the rate reads the
    projects that ever reached implementation."""
    facts = _facts(
        _now(("rollout", HEALTH), ("poc", HEALTH), ("matched", HEALTH)),
        reached={"matched": 1, "implementation": 1, "rollout": 1},
    )
    table, _figures = dashboard_implementation(facts)
    assert [row[1] for row in table.rows] == [3, 1, 33.3]


def test_median_days_shows_exits_and_medians_rounded():
    """Each working stage shows how many stays in it ended and their median, to one decimal;
    a stage nobody left shows no median."""
    facts = _facts(
        _now(("poc", HEALTH), ("poc_planning", HEALTH)),
        stays={"matched": Stays(2, 15.0), "poc_planning": Stays(1, 20.04)},
    )
    table, figures = dashboard_median_days(facts)
    assert table.rows[:3] == [
        ["マッチング成立", 2, 15.0],
        ["実証実験の準備", 1, 20.0],
        ["実証実験", 0, None],
    ]
    assert Figure(DashboardTable.MEDIAN_DAYS, Measure.MEDIAN_DAYS, 15.0, stage="matched") in figures


def _stale(pk: int, title: str, days: int, last: date | None = None) -> StaleProject:
    return StaleProject(
        pk=pk, title=title, stage="poc", department_id=None, last_report_on=last, quiet_days=days
    )


def test_stale_lists_the_projects_given_with_their_silence():
    """Each stale project is a row linked to its page, with its last report and days silent;
    no link to more when every one is shown."""
    facts = _facts(
        stale=[_stale(2, "報告がない", 183), _stale(1, "報告が古い", 122, date(2025, 6, 1))],
        stale_count=2,
    )
    table = dashboard_stale(facts)
    assert [row[0] for row in table.rows] == ["報告がない", "報告が古い"]
    assert table.rows[0][2:] == [None, 183]
    assert table.rows[1][2:] == ["2025-06-01", 122]
    assert table.links[0] == "/projects/2/"
    assert (table.more, table.more_url) == ("", "")


def test_stale_names_the_first_and_links_to_the_rest():
    """When more projects are stale than the list names, the table says how many more and
    links to the full list."""
    shown = [_stale(i, f"P{i}", 200 - i) for i in range(STALE_SHOWN)]
    table = dashboard_stale(_facts(stale=shown, stale_count=STALE_SHOWN + 5))
    assert len(table.rows) == STALE_SHOWN
    assert str(STALE_SHOWN + 5) in table.more and "5" in table.more
    assert table.more_url == "/member/dashboard/stale/"


def test_public_dashboard_has_every_figure_table_and_no_stale_list():
    """The public dashboard is the builders' tables and figures in order, without the stale list."""
    facts = _facts(_now(("poc", HEALTH)), reached={"matched": 1, "poc": 1}, stale=[])
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
