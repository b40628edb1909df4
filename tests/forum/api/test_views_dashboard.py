"""The public dashboard's figures in the API: the numbers /dashboard/ shows, and nothing private."""

import re

from django.urls import reverse

import pytest

from forum.models import Municipality, Project, ProjectStageChange
from forum.selectors.dashboard_tables import DashboardTable, cell_text
from forum.services.needs import need_publish, need_submit
from forum.services.supports import support_toggle
from tests.forum.api.helpers import member_with_token
from tests.forum.dashboard_fixtures import PRIVATE_TITLES, make_dashboard_world, page_tables
from tests.forum.helpers import municipality_staff
from tests.forum.resident_fixtures import a_field, resident_of

pytestmark = pytest.mark.django_db

FUNNEL_ROWS = {
    ("published_challenges", None): "課題（公開中）",
    ("proposals", None): "提案",
    ("projects", None): "プロジェクト",
    ("projects_reached", "poc"): "実証実験に到達",
    ("projects_reached", "implementation"): "社会実装に到達",
    ("projects_reached", "rollout"): "横展開に到達",
}
IMPLEMENTATION_ROWS = {
    ("projects", None): "プロジェクト数",
    ("projects_reached", "implementation"): "社会実装に到達したプロジェクト数",
    ("implementation_rate", None): "社会実装率（%）",
}
MEDIAN_COLUMNS = {"stage_exits": "次のステージへ移った件数", "median_days": "中央値（日）"}


RESIDENT_COLUMNS = {
    "needs_received": "届いた困りごと",
    "needs_published": "公開中の困りごと",
    "needs_to_challenges": "課題になった困りごと",
    "need_supports": "困りごとへの応援",
    "challenge_supports": "課題への応援",
    "supports_local": "うち地元の住民の応援",
    "supports_elsewhere": "うち他の市町村の住民の応援",
}


@pytest.fixture
def world(db):
    """The dashboard's world and a resident's published need supported by a neighbour."""
    made = make_dashboard_world()
    suita = Municipality.objects.get(code="272051")  # Toyonaka stays with its private project
    need = need_submit(
        actor=resident_of(suita), title="歩道が暗い", description="夜道が不安", field=a_field()
    )
    need_publish(actor=municipality_staff(municipality=suita), need=need)
    support_toggle(actor=resident_of(suita), need=need)
    return made


def _figures(client, **params) -> list[dict]:
    response = client.get("/api/v1/dashboard/", params)
    assert response.status_code == 200, response.content
    return response.json()["figures"]


def _code(value) -> str | None:
    return value["code"] if value else None


def _cell(tables, figure) -> str:
    """The page's cell that shows the figure, found by its row and column labels."""
    table = figure["table"]["code"]
    header, *rows = tables[table]
    measure, stage = figure["measure"]["code"], _code(figure["stage"])
    stage_name = figure["stage"]["name_ja"] if figure["stage"] else "合計"
    if table in ("funnel", "implementation"):
        labels = FUNNEL_ROWS if table == "funnel" else IMPLEMENTATION_ROWS
        row = next(r for r in rows if r[0] == labels[(measure, stage)])
        return row[1]
    if table == "stages":
        return next(r for r in rows if r[0] == stage_name)[1]
    if table == "median_days":
        row = next(r for r in rows if r[0] == stage_name)
        return row[header.index(MEDIAN_COLUMNS[measure])]
    if table == "residents":
        names = [figure["municipality"]["name_ja"], figure["field"]["name_ja"]]
        row = next(r for r in rows if r[:2] == names)
        return row[header.index(RESIDENT_COLUMNS[measure])]
    if table == "stage_field":
        row = next(r for r in rows if r[0] == figure["field"]["name_ja"])
        return row[header.index(stage_name)]
    row = next(
        r for r in rows if r[:2] == [figure["field"]["name_ja"], figure["municipality"]["name_ja"]]
    )
    return row[header.index(stage_name)]


def test_figures_equal_the_public_dashboard_page(client, world):
    """Every figure of the API is the number in its cell of /dashboard/, and every cell has one."""
    page = client.get(reverse("dashboard:public"))
    tables = page_tables(page.content.decode())
    figures = _figures(client)
    for figure in figures:
        assert cell_text(figure["value"]) == _cell(tables, figure), figure
    cells = sum(
        len(row) - (2 if key in ("stage_field_municipality", "residents") else 1)
        for key in DashboardTable.values
        for row in tables[key][1:]
    )
    assert len(figures) == cells
    assert set(tables) == set(DashboardTable.values)


def test_headline_numbers_equal_the_page_and_the_fixture(client, world):
    """Two public projects, one implemented: 50.0%, as the page's cards say."""
    data = client.get("/api/v1/dashboard/").json()
    assert (data["projects"], data["implemented"], data["implementation_rate"]) == (2, 1, 50.0)
    body = client.get(reverse("dashboard:public")).content.decode()
    assert re.search(r'id="figure-projects">2<', body)
    assert re.search(r'id="figure-implemented">1<', body)
    assert re.search(r'id="figure-rate">50\.0%<', body)
    funnel = {
        (f["measure"]["code"], _code(f["stage"])): f["value"]
        for f in _figures(client, table="funnel")
    }
    assert funnel == {
        ("published_challenges", None): 4,
        ("proposals", None): 3,
        ("projects", None): 2,
        ("projects_reached", "poc"): 2,
        ("projects_reached", "implementation"): 1,
        ("projects_reached", "rollout"): 0,
    }


def test_private_projects_change_no_public_figure(client, world):
    """Moving and adding private projects leaves every public figure as it was."""
    before = client.get("/api/v1/dashboard/").json()
    private = world["p5"]
    ProjectStageChange.objects.create(
        project=private, from_stage="matched", to_stage="poc_planning"
    )
    Project.objects.filter(pk=private.pk).update(stage="poc_planning")
    after = client.get("/api/v1/dashboard/").json()
    assert after["figures"] == before["figures"]
    assert after["projects"] == 2
    body = client.get("/api/v1/dashboard/").content.decode()
    for title in PRIVATE_TITLES:
        assert title not in body
    places = {_code(f["municipality"]) for f in after["figures"]}
    assert "272035" not in places  # Toyonaka has a private project only


def test_table_parameter_narrows_to_one_table(client, world):
    """?table=median_days gives that table's figures only: two per working stage."""
    figures = _figures(client, table="median_days")
    assert {f["table"]["code"] for f in figures} == {"median_days"}
    assert len(figures) == 12
    assert figures[1]["measure"]["name_en"] == "Median days in the stage"


def test_token_clients_get_the_same_public_figures(client, world):
    """The API serves only the public dashboard: a member's token changes nothing."""
    _user, _organisation, raw = member_with_token()
    anonymous = client.get("/api/v1/dashboard/").json()
    with_token = client.get("/api/v1/dashboard/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert with_token.status_code == 200
    assert with_token.json() == anonymous


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("table=stale", "table"),
        ("table=", "table"),
        ("page=1", "page"),
        ("page_size=10", "page_size"),
        ("colour=red", "colour"),
        ("table=funnel&table=stages", "table"),
    ],
)
def test_malformed_dashboard_parameters_get_400(client, query, parameter):
    """The stale list, pages and unknown parameters are refused, naming the parameter."""
    response = client.get(f"/api/v1/dashboard/?{query}")
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == "invalid" and parameter in error["details"]


def test_dashboard_is_read_only_and_open_to_other_sites(client, world):
    """GET only, with every origin allowed like the rest of the open data."""
    assert client.get("/api/v1/dashboard/")["Access-Control-Allow-Origin"] == "*"
    response = client.post("/api/v1/dashboard/")
    assert response.status_code == 405 and "GET" in response["Allow"]
