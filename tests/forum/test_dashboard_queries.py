"""The SQL the dashboard, the series and the report are counted with, against hand-counted
histories: medians (percentile_cont on PostgreSQL, the middle values on SQLite), first entries,
stays and starts placed in fiscal periods in Japan's time, the stale list and its full page,
and a number of queries that does not grow with the data. Runs on PostgreSQL when
DATABASE_URL is set, on SQLite otherwise."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from forum.models import Project
from forum.rules.fiscal_year import FiscalPeriod
from forum.selectors import dashboard_queries as queries
from forum.selectors.annual_report import annual_report
from forum.selectors.dashboard import dashboard_figures
from forum.selectors.dashboard_facts import STALE_SHOWN
from forum.selectors.dashboard_queries import Stays
from tests.forum.dashboard_fixtures import TableReader, dashboard_project
from tests.forum.helpers import company_member, secretariat_user, signed_in_with_mfa
from tests.forum.series_fixtures import series_project

pytestmark = pytest.mark.django_db

FY2022, FY2023 = FiscalPeriod(2022), FiscalPeriod(2023)


def _all():
    return queries.project_scope(Project.objects.all())


def _stays_world():
    """Matched stays of 10, 20, 30 and 41 days (median 25.0); PoC planning stays of 5, 7 and
    100 days (median 7.0); one project still in matching."""
    for i, (matched, planning) in enumerate(((10, 5), (20, 7), (30, 100), (41, None))):
        path = [
            ("matched", "2023-05-01"),
            ("poc_planning", str(date(2023, 5, 1) + timedelta(matched))),
        ]
        if planning is not None:
            path.append(("poc", str(date(2023, 5, 1) + timedelta(matched + planning))))
        series_project(f"滞在{i}", path)
    series_project("マッチング中", [("matched", "2024-01-10")])


def test_medians_of_all_stays_hand_counted():
    """An even count averages the two middle stays, an odd one takes the middle; the stage a
    project is in now is no stay."""
    _stays_world()
    found = queries.stays(_all())
    assert found["matched"] == Stays(4, 25.0)
    assert found["poc_planning"] == Stays(3, 7.0)
    assert "poc" not in found


@pytest.mark.skipif(connection.vendor != "postgresql", reason="percentile_cont is PostgreSQL's")
def test_middle_values_median_equals_percentile_cont():
    """The SQLite form of the median (the middle values only) gives PostgreSQL's figures, all
    together and by period."""
    _stays_world()
    series_project("長い", [("matched", "2022-04-01"), ("poc_planning", "2023-03-31 23:30")])
    periods = [FY2022, FY2023]
    for grouped in (None, periods):
        assert queries.stays(_all(), grouped, vendor="sqlite") == queries.stays(
            _all(), grouped, vendor="postgresql"
        )


def test_stays_are_placed_by_the_day_they_ended_in_japan():
    """A stay that ended at 23:30 on 31 March counts in that fiscal year; one that ended at
    00:10 on 1 April in the next, though both are the same day in UTC."""
    series_project("三月", [("matched", "2023-03-01 12:00"), ("poc", "2023-03-31 23:30")])
    series_project("四月", [("matched", "2023-03-01 12:00"), ("poc", "2023-04-01 00:10")])
    found = queries.stays(_all(), [FY2022, FY2023])
    assert found[("matched", FY2022)].count == 1
    assert found[("matched", FY2023)].count == 1
    assert found[("matched", FY2022)].median == pytest.approx(30 + 11.5 / 24)


def test_first_entries_count_once_and_skipped_stages_are_not_reached():
    """A project that returns to PoC reaches it once; one that skips PoC never reaches it."""
    series_project(
        "戻る",
        [
            ("matched", "2022-05-01"),
            ("poc", "2022-06-01"),
            ("evaluation", "2022-09-01"),
            ("poc", "2023-05-01"),
        ],
    )
    series_project("飛ばす", [("matched", "2022-05-01"), ("evaluation", "2023-05-01")])
    assert queries.reached_counts(_all()) == {"matched": 2, "poc": 1, "evaluation": 2}
    assert queries.reached_counts(_all(), ["poc", "implementation"]) == {"poc": 1}
    found = queries.project_periods(_all(), [FY2022, FY2023])
    assert found["poc"] == {FY2022: 1}
    assert found["evaluation"] == {FY2022: 1, FY2023: 1}


def test_start_close_and_resumed_projects_by_period():
    """A project starts at its earliest date (its start or first change); it closes at its
    first implementation, or at its last move into 中止 only while discontinued."""
    series_project(
        "中止",
        [("matched", "2022-05-01"), ("discontinued", "2022-07-01"), ("discontinued", "2023-07-01")],
    )
    series_project(
        "再開", [("matched", "2022-05-01"), ("discontinued", "2022-07-01"), ("poc", "2023-07-01")]
    )
    series_project(
        "実装", [("matched", "2023-05-01"), ("implementation", "2023-08-01")], created="2021-01-01"
    )
    found = queries.project_periods(
        _all(), [FiscalPeriod(2020), FiscalPeriod(2021), FY2022, FY2023]
    )
    assert found["started"] == {FiscalPeriod(2020): 1, FY2022: 2}
    assert found["closed"] == {FY2023: 2}
    assert found["implementation"] == {FY2023: 1}


def _stale_world(extra: int) -> None:
    """STALE_SHOWN + extra projects silent for 100 days and more, and a recent one."""
    for i in range(STALE_SHOWN + extra):
        dashboard_project(f"停滞{i:02d}", "safety", ["271403"], [("matched", 100 + i)])
    dashboard_project("最近", "safety", ["271403"], [("matched", 30)])


def test_stale_table_names_the_first_and_counts_the_rest(client):
    """With more stale projects than the dashboard names, it lists the longest silent first,
    says how many more there are, and links to the full list."""
    _stale_world(extra=3)
    table = dashboard_figures(public=False).table("stale")
    assert len(table.rows) == STALE_SHOWN
    assert table.rows[0][0] == f"停滞{STALE_SHOWN + 2:02d}"
    assert table.rows[0][3] == STALE_SHOWN + 2 + 100
    assert "3" in table.more and str(STALE_SHOWN + 3) in table.more
    signed_in_with_mfa(client, secretariat_user())
    html = client.get(reverse("forum:dashboard")).content.decode()
    assert reverse("forum:dashboard_stale") in html


def test_full_stale_list_is_paginated_for_the_secretariat(client):
    """The full list names every stale project, longest silent first, fifty to a page."""
    _stale_world(extra=35)
    signed_in_with_mfa(client, secretariat_user())
    response = client.get(reverse("forum:dashboard_stale"))
    assert response.status_code == 200
    reader = TableReader()
    reader.feed(response.content.decode())
    rows = reader.tables["stale-all"][1:]
    assert len(rows) == 50
    assert rows[0][0] == f"停滞{STALE_SHOWN + 34:02d}"
    second = client.get(reverse("forum:dashboard_stale"), {"page": 2}).content.decode()
    reader = TableReader()
    reader.feed(second)
    assert len(reader.tables["stale-all"][1:]) == STALE_SHOWN + 35 - 50
    assert "最近" not in second
    assert response["Cache-Control"] == "private, no-store"


def test_full_stale_list_is_refused_to_others(client):
    """Visitors are asked to sign in; a member gets a 404."""
    assert client.get(reverse("forum:dashboard_stale")).status_code == 302
    signed_in_with_mfa(client, company_member()[0])
    assert client.get(reverse("forum:dashboard_stale")).status_code == 404


def _grow(count: int, prefix: str = "追加") -> None:
    """Public case-study projects that reached implementation this fiscal year."""
    today = timezone.localdate()
    days = (today - FiscalPeriod.of(today).bounds[0]).days
    for i in range(count):
        dashboard_project(
            f"{prefix}{i}",
            "health",
            ["272051"],
            [("matched", days + 300), ("poc", days + 200), ("evaluation", days + 100 - i)]
            + [("implementation", days)],
            public=True,
        )


@pytest.mark.parametrize("public", [True, False])
def test_dashboard_reads_a_fixed_number_of_queries(public):
    """More projects and stage changes are read with the same number of queries."""
    dashboard_project("最初", "safety", ["271403"], [("matched", 100)], public=True)
    with CaptureQueriesContext(connection) as before:
        dashboard_figures(public=public)
    _grow(6)
    with CaptureQueriesContext(connection) as after:
        dashboard_figures(public=public)
    assert len(after) == len(before)


def test_annual_report_reads_a_fixed_number_of_queries():
    """The report's queries do not grow with the projects it counts."""
    _grow(1, prefix="最初")
    year = FiscalPeriod.of(timezone.localdate()).year
    with CaptureQueriesContext(connection) as before:
        annual_report(year=year)
    _grow(6)
    with CaptureQueriesContext(connection) as after:
        annual_report(year=year)
    assert len(after) == len(before)
