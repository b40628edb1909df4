"""Dashboard figures from a known fixture, each number asserted; the CSVs equal the tables on the page."""

import csv
import io
import re

from django.urls import reverse

import pytest

from forum.models import Field, Municipality
from forum.selectors.dashboard import dashboard_figures
from forum.services.needs import need_publish, need_submit
from forum.services.supports import support_toggle
from tests.forum.dashboard_fixtures import PRIVATE_TITLES, TableReader, make_dashboard_world
from tests.forum.helpers import company_member, municipality_staff, secretariat_user
from tests.forum.resident_fixtures import a_field, resident_of

pytestmark = pytest.mark.django_db

STAGES = ["マッチング成立", "実証実験の準備", "実証実験", "評価", "社会実装", "横展開", "中止"]


@pytest.fixture
def world(db):
    """Four published challenges (one draft), three submitted proposals (one draft), five
    projects, and a resident's published need supported by a neighbour."""
    made = make_dashboard_world()
    toyonaka = Municipality.objects.get(name="豊中市")
    staff = municipality_staff(municipality=toyonaka)
    need = need_submit(
        actor=resident_of(toyonaka), title="歩道が暗い", description="夜道が不安", field=a_field()
    )
    need_publish(actor=staff, need=need)
    support_toggle(actor=resident_of(toyonaka), need=need)
    return made


def _rows(dashboard, key):
    return dashboard.table(key).text_rows


def test_secretariat_funnel_counts_every_project(world):
    """Challenges 4, proposals 3, projects 5, reached PoC 3, implementation 2, roll-out 1."""
    assert _rows(dashboard_figures(public=False), "funnel") == [
        ["課題（公開中）", "4"],
        ["提案", "3"],
        ["プロジェクト", "5"],
        ["実証実験に到達", "3"],
        ["社会実装に到達", "2"],
        ["横展開に到達", "1"],
    ]


def test_public_funnel_counts_public_projects_only(world):
    """The public funnel keeps the challenge and proposal totals but counts the two public projects."""
    assert _rows(dashboard_figures(public=True), "funnel") == [
        ["課題（公開中）", "4"],
        ["提案", "3"],
        ["プロジェクト", "2"],
        ["実証実験に到達", "2"],
        ["社会実装に到達", "1"],
        ["横展開に到達", "0"],
    ]


def test_stage_counts(world):
    """Current stages: one each in matching, PoC, implementation, roll-out and discontinued."""
    assert _rows(dashboard_figures(public=False), "stages") == [
        [label, n] for label, n in zip(STAGES, ["1", "0", "1", "0", "1", "1", "1"], strict=True)
    ]
    assert [r[1] for r in _rows(dashboard_figures(public=True), "stages")] == [
        "0",
        "0",
        "1",
        "0",
        "1",
        "0",
        "0",
    ]


def test_stage_by_field(world):
    """Safety has one matched, one PoC and one implementation; health one roll-out; childcare one stop."""
    rows = {r[0]: r[1:] for r in _rows(dashboard_figures(public=False), "stage_field")}
    assert rows["防災・防犯"] == ["1", "0", "1", "0", "1", "0", "0", "3"]
    assert rows["健康・医療・介護"] == ["0", "0", "0", "0", "0", "1", "0", "1"]
    assert rows["子育て・教育"] == ["0", "0", "0", "0", "0", "0", "1", "1"]
    assert rows["移動・交通"] == ["0"] * 8
    assert len(rows) == Field.objects.filter(is_active=True).count()


def test_stage_by_field_and_municipality(world):
    """Each project counts once per municipality, in field then municipality-code order."""
    assert _rows(dashboard_figures(public=False), "stage_field_municipality") == [
        ["健康・医療・介護", "吹田市", "0", "0", "0", "0", "0", "1", "0", "1"],
        ["子育て・教育", "豊中市", "0", "0", "0", "0", "0", "0", "1", "1"],
        ["防災・防犯", "堺市", "1", "0", "1", "0", "1", "0", "0", "3"],
        ["防災・防犯", "吹田市", "0", "0", "1", "0", "0", "0", "0", "1"],
    ]
    assert _rows(dashboard_figures(public=True), "stage_field_municipality") == [
        ["防災・防犯", "堺市", "0", "0", "1", "0", "1", "0", "0", "2"],
        ["防災・防犯", "吹田市", "0", "0", "1", "0", "0", "0", "0", "1"],
    ]


def test_implementation_rate(world):
    """Two of five projects reached implementation (40.0%); publicly one of two (50.0%)."""
    secretariat = dashboard_figures(public=False)
    assert secretariat.implementation_rate == 40.0
    assert _rows(secretariat, "implementation") == [
        ["プロジェクト数", "5"],
        ["社会実装に到達したプロジェクト数", "2"],
        ["社会実装率（%）", "40.0"],
    ]
    assert dashboard_figures(public=True).implementation_rate == 50.0


def test_no_projects_has_no_rate(db):
    """With no projects the rate is unknown, shown as a dash, not a division error."""
    dashboard = dashboard_figures(public=True)
    assert dashboard.implementation_rate is None
    assert _rows(dashboard, "implementation")[-1] == ["社会実装率（%）", "—"]


def test_median_days_in_each_stage(world):
    """Medians of the completed stays from the history; stages nobody has left show a dash."""
    assert _rows(dashboard_figures(public=False), "median_days") == [
        ["マッチング成立", "4", "10.0"],
        ["実証実験の準備", "3", "20.0"],
        ["実証実験", "2", "45.0"],
        ["評価", "2", "10.0"],
        ["社会実装", "1", "60.0"],
        ["横展開", "0", "—"],
    ]
    assert _rows(dashboard_figures(public=True), "median_days") == [
        ["マッチング成立", "2", "10.0"],
        ["実証実験の準備", "2", "25.0"],
        ["実証実験", "1", "30.0"],
        ["評価", "1", "10.0"],
        ["社会実装", "0", "—"],
        ["横展開", "0", "—"],
    ]


def test_stale_projects_for_the_secretariat_only(world):
    """The matched project (95 days, no report) is stale; the roll-out (120 days since its last
    report) is in service and the discontinued one closed, so neither is, nor the recent and the
    young; the public dashboard has no such list."""
    assert _rows(dashboard_figures(public=False), "stale") == [
        ["非公開・マッチング", "マッチング成立", "—", "95"],
    ]
    assert "stale" not in dashboard_figures(public=True).tables


def _csv_rows(response):
    content = response.content
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.parametrize("audience", ["public", "secretariat"])
def test_every_csv_equals_its_table(client, world, audience):
    """For each table on the page, the CSV (UTF-8 with BOM) has the same header and rows."""
    if audience == "secretariat":
        client.force_login(secretariat_user())
        page_url, csv_name = reverse("forum:dashboard"), "forum:dashboard_csv"
    else:
        page_url, csv_name = reverse("dashboard:public"), "dashboard:csv"
    response = client.get(page_url)
    reader = TableReader()
    reader.feed(response.content.decode())
    keys = [t.key for t in response.context["tables"]]
    assert set(reader.tables) == set(keys)
    assert ("stale" in keys) == (audience == "secretariat")
    for key in keys:
        rows = _csv_rows(client.get(reverse(csv_name, args=[key])))
        assert rows == reader.tables[key], key
        assert len(rows) > 1


def test_csv_is_an_attachment_named_by_table(client, world):
    """The CSV downloads as a file named after the table and the date."""
    response = client.get(reverse("dashboard:csv", args=["funnel"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="dashboard-public-funnel-'
    )


def test_unknown_table_is_a_404(client, world):
    """A CSV name that is not a table, or the stale list from the public side, is not found."""
    assert client.get(reverse("dashboard:csv", args=["stale"])).status_code == 404
    assert client.get(reverse("dashboard:csv", args=["secrets"])).status_code == 404


def test_secretariat_dashboard_is_closed_to_others(client, world):
    """Members get a 404 from the secretariat's dashboard and CSVs; visitors are asked to sign in."""
    assert client.get(reverse("forum:dashboard")).status_code == 302
    user, _organisation = company_member()
    client.force_login(user)
    assert client.get(reverse("forum:dashboard")).status_code == 404
    assert client.get(reverse("forum:dashboard_csv", args=["stale"])).status_code == 404


def test_public_page_never_names_private_projects(client, world):
    """No private project's title appears on the public dashboard."""
    body = client.get(reverse("dashboard:public")).content.decode()
    for title in PRIVATE_TITLES:
        assert title not in body


def test_charts_are_drawn_by_the_vendored_library(client, world):
    """The page loads Chart.js from the site's static files (no CDN) with the chart data beside the tables."""
    body = client.get(reverse("dashboard:public")).content.decode()
    assert "/static/vendor/chartjs/chart.umd.min.js" in body
    scripts = re.findall(r'<script[^>]*\ssrc="([^"]+)"', body)
    assert scripts and all(src.startswith("/static/") for src in scripts), scripts
    assert 'id="chart-funnel"' in body and 'data-chart="chart-funnel"' in body
