"""The figures over time against a hand-counted history (tests/forum/series_fixtures.py):
fiscal-year and quarter boundaries in Japan's time, skipped and repeated stages, imported
past dates, the rates and medians, the pages, CSV, JSON and API, and who may read what."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

import pytest

from forum.models import Department, Municipality, Organisation
from forum.rules.fiscal_year import FiscalPeriod
from forum.selectors.dashboard import dashboard_figures
from forum.selectors.dashboard_series import dashboard_series
from tests.forum.dashboard_fixtures import TableReader
from tests.forum.helpers import (
    company_member,
    municipality_staff,
    secretariat_user,
    signed_in_with_mfa,
)
from tests.forum.series_fixtures import TODAY, make_series_world, series_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return make_series_world()


def _series(**kwargs):
    return dashboard_series(public=False, today=TODAY, **kwargs)


ACTIVITY = [
    # 期間, 課題, 提案, 開始, PoC, 評価, 社会実装, 横展開
    ["令和2年度", "0", "0", "1", "0", "0", "0", "0"],
    ["令和3年度", "0", "0", "0", "1", "0", "0", "0"],
    ["令和4年度", "1", "0", "2", "2", "0", "0", "0"],
    ["令和5年度", "1", "2", "0", "0", "2", "1", "0"],
    ["令和6年度", "0", "0", "1", "0", "0", "1", "1"],
    ["令和7年度", "0", "0", "0", "0", "0", "0", "0"],
]

IMPLEMENTATION = [
    # 期間, 推進中, 社会実装に到達, 率, 累計, 累計実装, 累計率
    ["令和2年度", "1", "0", "0.0", "1", "0", "0.0"],
    ["令和3年度", "1", "0", "0.0", "1", "0", "0.0"],
    ["令和4年度", "2", "0", "0.0", "3", "0", "0.0"],
    ["令和5年度", "2", "1", "50.0", "3", "1", "33.3"],
    ["令和6年度", "2", "1", "50.0", "4", "2", "50.0"],
    ["令和7年度", "1", "0", "0.0", "4", "2", "50.0"],
]


def test_activity_by_fiscal_year_hand_counted(world):
    """31 March and 1 April land in different years; a repeated stage counts once; a skipped
    stage is not reached; an imported project starts at its first recorded date."""
    assert _series().table("activity").text_rows == ACTIVITY


def test_implementation_rate_per_year_and_cumulative(world):
    assert _series().table("implementation_rate").text_rows == IMPLEMENTATION


def test_median_days_by_year_of_leaving_the_stage(world):
    """FY2020 none; FY2021: matched 1 day (P3), PoC 364 days (P3); FY2022: matched 31 and 183 days."""
    rows = {r[0]: r[1:] for r in _series().table("median_days").text_rows}
    # マッチング成立, 実証実験の準備, 実証実験, 評価, 社会実装
    assert rows["令和2年度"] == ["—", "—", "—", "—", "—"]
    assert rows["令和3年度"] == ["1.0", "—", "364.0", "—", "—"]
    assert rows["令和4年度"][0] == "107.0"


def test_quarters_split_at_the_japanese_boundary(world):
    """Challenge A in FY2022 Q4 (23:30 on 31 March), B in FY2023 Q1 (00:10 on 1 April)."""
    series = _series(by_quarter=True)
    assert series.value("challenges_published", FiscalPeriod(2022, 4)) == 1
    assert series.value("challenges_published", FiscalPeriod(2023, 1)) == 1
    assert series.value("projects_reached", FiscalPeriod(2022, 4), "poc") == 1
    # P1 on 1 April 2023 at 08:00 and P2 on 1 June 2023 entered evaluation in FY2023 Q1.
    assert series.value("projects_reached", FiscalPeriod(2023, 1), "evaluation") == 2
    assert series.value("projects_reached", FiscalPeriod(2022, 4), "evaluation") == 0
    assert series.periods[0] == FiscalPeriod(2020, 4) and series.periods[-1] == FiscalPeriod(
        2025, 1
    )


def test_series_add_up_to_the_funnel(world):
    """Every project that reached a stage is counted in exactly one year."""
    series = _series()
    funnel = dashboard_figures(public=False, today=TODAY)
    for measure, stage, expected in (
        ("projects_reached", "poc", funnel.table("funnel").rows[3][1]),
        ("projects_reached", "implementation", funnel.implemented_count),
        ("projects_started", "", funnel.project_count),
    ):
        total = sum(series.value(measure, p, stage) for p in series.periods)
        assert total == expected


def test_public_series_counts_public_projects_only(world):
    series = dashboard_series(public=True, today=TODAY)
    rows = {r[0]: r for r in series.table("activity").text_rows}
    assert rows["令和4年度"][3] == "1"  # only P1 started
    assert rows["令和5年度"][6] == "1"


def test_english_labels_are_fiscal_years(world):
    with translation.override("en"):
        rows = _series().table("activity").text_rows
    assert [r[0] for r in rows][:2] == ["FY2020", "FY2021"]


def test_constant_number_of_queries(world):
    """More projects and stage changes read with the same number of queries."""
    with CaptureQueriesContext(connection) as before:
        _series()
    for i in range(5):
        series_project(f"追加{i}", [("matched", "2023-05-01"), ("poc", "2024-05-01")])
    with CaptureQueriesContext(connection) as after:
        _series(by_quarter=True)
    assert len(after) == len(before)


def test_department_narrows_series(city_department):
    make_series_world(department=city_department)
    series = _series(department_id=city_department.pk)
    assert sum(series.value("projects_started", p) for p in series.periods) == 2


@pytest.fixture
def city_department(db):
    organisation = Organisation.objects.create(
        name="大阪市",
        kind="municipality",
        status="approved",
        municipality=Municipality.objects.get(code="271004"),
    )
    return Department.objects.create(
        organisation=organisation, name="デジタル統括室", slug="osaka-city-digital"
    )


# --- pages, CSV, JSON, API ------------------------------------------------------------------------


def test_public_page_tables_and_csv_equal_the_series(client, world):
    response = client.get(reverse("dashboard:series"))
    reader = TableReader()
    reader.feed(response.content.decode())
    series = dashboard_series(public=True)
    assert reader.tables["activity"][1:] == series.table("activity").text_rows
    csv_response = client.get(reverse("dashboard:series_csv", args=["implementation_rate"]))
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[1:] == series.table("implementation_rate").text_rows


def test_quarter_grain_and_json(client, world):
    """The public series by quarter starts with the quarter of P1's start (May 2022)."""
    html = client.get(reverse("dashboard:series"), {"grain": "quarter"}).content.decode()
    assert "第1四半期" in html
    data = client.get(reverse("dashboard:series_json"), {"grain": "quarter"}).json()
    assert data["grain"] == "quarter" and data["periods"][0]["key"] == "2022-Q1"


def test_api_endpoint_serves_each_series(client, world):
    url = "/api/v1/dashboard/series/"
    data = client.get(url, {"table": "implementation_rate"}).json()
    assert {
        p["table"]["code"] if isinstance(p["table"], dict) else p["table"] for p in data["points"]
    } == {"implementation_rate"}
    assert client.get(url, {"grain": "month"}).status_code == 400
    assert client.get(url, {"department": "nowhere"}).status_code == 400


@pytest.mark.parametrize("name", ["dashboard_series", "dashboard_series_json"])
@pytest.mark.parametrize("who", ["company", "municipality"])
def test_secretariat_series_refused_to_others(client, world, name, who):
    user = company_member()[0] if who == "company" else municipality_staff()
    signed_in_with_mfa(client, user)
    assert client.get(reverse(f"forum:{name}")).status_code == 404
    assert client.get(reverse("forum:dashboard_series_csv", args=["activity"])).status_code == 404


def test_secretariat_series_needs_sign_in(client, world):
    response = client.get(reverse("forum:dashboard_series"))
    assert response.status_code == 302


def test_secretariat_series_counts_private_projects(client, world):
    signed_in_with_mfa(client, secretariat_user())
    response = client.get(reverse("forum:dashboard_series"))
    assert response.status_code == 200
    reader = TableReader()
    reader.feed(response.content.decode())
    assert (
        reader.tables["activity"][1:] == dashboard_series(public=False).table("activity").text_rows
    )
