"""Public KPIs: asking, approving and refusing, and the roll-up against hand-counted figures."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

from django.urls import reverse

import pytest

from forum.models import (
    AuditEvent,
    Department,
    Field,
    Municipality,
    Notification,
    Project,
    ProjectKpi,
)
from forum.models.kpis import KpiPublicity
from forum.rules.kpi_rollup import (
    Measurement,
    UnitMismatch,
    add_up,
    by_fiscal_year,
    by_unit,
    latest_measurements,
    roll_up,
)
from forum.selectors.kpis import kpi_rollup_public
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.projects.kpis import (
    project_kpi_publicity_decide,
    project_kpi_publicity_request,
    project_kpi_publicity_withdraw,
)
from forum.services.projects.lifecycle import project_create, project_publication_update
from forum.services.projects.tracking import project_kpi_add, project_report_submit
from tests.forum.project_fixtures import SAKAI, SUITA
from tests.forum.proposal_fixtures import published_challenge

pytestmark = pytest.mark.django_db


def _m(kpi_id, value, on, *, unit="hours", report_id=1, project_id=1):
    return Measurement(
        kpi_id=kpi_id,
        project_id=project_id,
        unit=unit,
        measured_on=on,
        report_id=report_id,
        value=Decimal(value),
    )


# --- the rules ------------------------------------------------------------------------------


def test_latest_value_only_counts_once_per_kpi():
    """A KPI reported three times adds its newest value, not the sum of its reports."""
    values = [
        _m(1, 10, date(2024, 5, 1), report_id=1),
        _m(1, 30, date(2025, 2, 1), report_id=3),
        _m(1, 20, date(2024, 9, 1), report_id=2),
    ]
    assert [m.value for m in latest_measurements(values)] == [Decimal(30)]


def test_same_day_reports_take_the_one_filed_last():
    """Two reports on one day: the later report's value is the latest."""
    values = [_m(1, 5, date(2025, 4, 1), report_id=9), _m(1, 7, date(2025, 4, 1), report_id=4)]
    assert latest_measurements(values)[0].value == Decimal(5)


def test_units_are_never_mixed():
    """Adding hours to people is refused; each unit is totalled alone."""
    with pytest.raises(UnitMismatch):
        add_up([_m(1, 1, date(2025, 1, 1)), _m(2, 1, date(2025, 1, 1), unit="people")])
    cells = roll_up(
        [_m(1, 3, date(2025, 1, 1)), _m(2, 4, date(2025, 1, 1), unit="people")], by_unit
    )
    assert {k: c.total for k, c in cells.items()} == {
        ("hours", ""): Decimal(3),
        ("people", ""): Decimal(4),
    }


def test_units_that_do_not_add_up_are_left_out():
    """Percentages and scores are never totalled."""
    cells = roll_up(
        [_m(1, 80, date(2025, 1, 1), unit="percent"), _m(2, 4, date(2025, 1, 1), unit="score")],
        by_unit,
    )
    assert cells == {}
    with pytest.raises(UnitMismatch):
        add_up([_m(1, 80, date(2025, 1, 1), unit="percent")])


def test_fiscal_year_of_measurement_splits_on_1_april():
    """31 March 2025 is FY2024; 1 April 2025 is FY2025."""
    cells = roll_up(
        [_m(1, 1, date(2025, 3, 31), project_id=1), _m(2, 2, date(2025, 4, 1), project_id=2)],
        by_fiscal_year,
    )
    assert cells[("hours", 2024)].total == Decimal(1)
    assert cells[("hours", 2025)].total == Decimal(2)
    assert cells[("hours", 2025)].project_ids == {2}


# --- the hand-counted fixture ---------------------------------------------------------------


def _kpi(actor, project, name, unit, *values):
    kpi = project_kpi_add(actor=actor, project=project, name=name, unit=unit)
    for on, value in values:
        project_report_submit(
            actor=actor,
            project=project,
            reported_on=on,
            body=f"{name}の報告",
            values={kpi.pk: Decimal(value)},
        )
    return kpi


def _approve(crew, project, kpi):
    project_kpi_publicity_request(actor=crew.secretariat, project=project, kpi_id=kpi.pk)
    project_kpi_publicity_decide(actor=crew.secretariat, kpi_id=kpi.pk, approve=True)


@pytest.fixture
def figures(crew):
    """Project A (Sakai, safety, public), B (Suita and Sakai, mobility, public), C (private).

    Counted by hand: hours = A 120 (FY2024; its older 100 does not count) + B 55 (FY2025; the
    later of two reports that day) = 175 from 2 projects; people = A 30 (FY2025). Left out:
    A's private yen KPI, A's approved percentage, B's KPI still waiting for approval, and C's
    approved KPI (C is private).
    """
    s = crew.secretariat
    a = crew.project
    project_publication_update(actor=s, project=a, is_public=True, case_study="事例A")
    mobility = Field.objects.get(slug="mobility")
    b = project_create(
        actor=s,
        title="オンデマンド交通",
        challenges=[published_challenge(SUITA, field=mobility, url="/c/b/")],
        municipalities=[Municipality.objects.get(code=SAKAI)],
    )
    project_publication_update(actor=s, project=b, is_public=True, case_study="事例B")
    c = project_create(
        actor=s, title="非公開の実証", challenges=[published_challenge(SAKAI, url="/c/c/")]
    )
    kpis = {
        "a_hours": _kpi(
            s, a, "削減された業務時間", "hours", (date(2024, 6, 1), 100), (date(2025, 3, 31), 120)
        ),
        "a_people": _kpi(s, a, "参加した住民", "people", (date(2025, 4, 1), 30)),
        "a_secret": _kpi(s, a, "内部コスト", "yen", (date(2025, 1, 1), 999999)),
        "a_percent": _kpi(s, a, "満足度", "percent", (date(2025, 1, 1), 80)),
        "b_hours": _kpi(
            s, b, "短縮された待ち時間", "hours", (date(2025, 4, 1), 50), (date(2025, 4, 1), 55)
        ),
        "b_waiting": _kpi(s, b, "申請中の時間", "hours", (date(2025, 5, 1), 1000)),
        "c_hours": _kpi(s, c, "非公開プロジェクトの時間", "hours", (date(2025, 5, 1), 7777)),
    }
    for key in ("a_hours", "a_people", "a_percent", "b_hours", "c_hours"):
        _approve(crew, kpis[key].project, kpis[key])
    project_kpi_publicity_request(actor=s, project=b, kpi_id=kpis["b_waiting"].pk)
    return {"a": a, "b": b, "c": c, **kpis}


def _totals(blocks):
    return {
        (b.unit, r.dimension, r.key): (r.total, r.projects)
        for b in blocks
        for r in [b.total, *b.rows]
    }


def test_rollup_matches_hand_count(figures):
    """Totals by unit, fiscal year, field and municipality equal the hand count."""
    totals = _totals(kpi_rollup_public())
    assert totals == {
        ("hours", "total", ""): (Decimal(175), 2),
        ("hours", "fiscal_year", "2024"): (Decimal(120), 1),
        ("hours", "fiscal_year", "2025"): (Decimal(55), 1),
        ("hours", "field", "safety"): (Decimal(120), 1),
        ("hours", "field", "mobility"): (Decimal(55), 1),
        ("hours", "municipality", SAKAI): (Decimal(175), 2),
        ("hours", "municipality", SUITA): (Decimal(55), 1),
        ("people", "total", ""): (Decimal(30), 1),
        ("people", "fiscal_year", "2025"): (Decimal(30), 1),
        ("people", "field", "safety"): (Decimal(30), 1),
        ("people", "municipality", SAKAI): (Decimal(30), 1),
    }


def test_rollup_page_shows_totals_and_links_to_projects(client, figures):
    """The public page shows 175 hours and links each figure to the projects behind it."""
    response = client.get(reverse("dashboard:kpis"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="total-hours">175 ' in html
    for secret in ("内部コスト", "999,999", "7,777", "非公開の実証", "申請中の時間", "1,000"):
        assert secret not in html
    listing = client.get(reverse("projects:list"), {"kpi_unit": "hours", "kpi_year": "2025"})
    titles = [p.title for p in listing.context["page_obj"].object_list]
    assert titles == ["オンデマンド交通"]
    listing = client.get(reverse("projects:list"), {"kpi_unit": "hours", "field": "safety"})
    assert [p.pk for p in listing.context["page_obj"].object_list] == [figures["a"].pk]


def test_rollup_csv_json_and_api_agree(client, figures):
    """CSV, JSON and the API carry the same figures as the page; no private KPI leaks."""
    body = client.get(reverse("dashboard:kpis_csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["単位コード", "単位", "集計の切り口"]
    assert rows[1][:8] == ["hours", "時間", "total", "", "合計", "175.00", "2", "2"]
    data = json.loads(client.get(reverse("dashboard:kpis_json")).content)
    assert {(f["unit"], f["dimension"], f["key"]): f["total"] for f in data["figures"]}[
        ("hours", "municipality", SUITA)
    ] == "55.00"
    api = client.get("/api/v1/dashboard/kpis/", {"unit": "people"}).json()
    assert [(f["dimension"], f["total"]) for f in api["figures"]][0] == ("total", "30.00")
    assert {f["unit"] for f in api["figures"]} == {"people"}
    for text in (body, json.dumps(data, ensure_ascii=False)):
        assert "999999" not in text and "7777" not in text and "yen" not in text
    assert client.get("/api/v1/dashboard/kpis/", {"unit": "percent"}).status_code == 400


def test_public_project_page_shows_approved_kpis_only(client, figures):
    """A visitor sees the approved KPIs of a public project, never the private one."""
    html = client.get(reverse("projects:detail", args=[figures["a"].pk])).content.decode()
    assert "削減された業務時間" in html and "120" in html
    assert "内部コスト" not in html and "999,999" not in html


# --- asking and deciding ----------------------------------------------------------------------


@pytest.fixture
def kpi(crew):
    return project_kpi_add(
        actor=crew.coordinator,
        project=crew.project,
        name="削減された業務時間",
        unit="hours",
        baseline=Decimal(0),
        baseline_on=date(2024, 4, 1),
        target=Decimal(500),
        target_on=date(2027, 3, 31),
    )


def test_participant_asks_and_secretariat_is_told(crew, kpi):
    """Asking puts the KPI in the queue, records who asked, and tells the secretariat."""
    project_kpi_publicity_request(actor=crew.coordinator, project=crew.project, kpi_id=kpi.pk)
    kpi.refresh_from_db()
    assert kpi.publicity == KpiPublicity.PROPOSED
    assert kpi.baseline == 0 and kpi.target_on == date(2027, 3, 31)
    event = AuditEvent.objects.get(verb="project.kpi_publicity_request")
    assert event.actor == crew.coordinator and event.data == {"kpi": kpi.pk}
    assert Notification.objects.filter(
        recipient=crew.secretariat, verb="project.kpi_publicity_request"
    ).exists()


def test_refusal_needs_a_reason_and_tells_participants(crew, kpi):
    """Refusing without a reason is refused; with one it is kept, audited and sent."""
    project_kpi_publicity_request(actor=crew.company, project=crew.project, kpi_id=kpi.pk)
    with pytest.raises(ServiceError):
        project_kpi_publicity_decide(actor=crew.secretariat, kpi_id=kpi.pk, approve=False)
    project_kpi_publicity_decide(
        actor=crew.secretariat, kpi_id=kpi.pk, approve=False, reason="算定根拠を添えてください"
    )
    kpi.refresh_from_db()
    assert kpi.publicity == KpiPublicity.REFUSED
    assert kpi.publicity_note == "算定根拠を添えてください"
    assert kpi.publicity_decided_by == crew.secretariat
    event = AuditEvent.objects.get(verb="project.kpi_publicity_refuse")
    assert event.actor == crew.secretariat and event.data["reason"] == "算定根拠を添えてください"
    notice = Notification.objects.get(
        recipient=crew.coordinator, verb="project.kpi_publicity_refuse"
    )
    assert "算定根拠" in notice.body


@pytest.mark.parametrize(
    "role", ["coordinator", "company", "municipality", "outsider", "other_municipality", "visitor"]
)
def test_only_the_secretariat_decides(crew, kpi, role):
    """Participants and everyone else are refused the decision."""
    project_kpi_publicity_request(actor=crew.coordinator, project=crew.project, kpi_id=kpi.pk)
    with pytest.raises(PermissionDenied):
        project_kpi_publicity_decide(actor=crew.user(role), kpi_id=kpi.pk, approve=True)
    assert ProjectKpi.objects.get(pk=kpi.pk).publicity == KpiPublicity.PROPOSED


@pytest.mark.parametrize("role", ["outsider", "other_municipality", "visitor"])
def test_outsiders_cannot_ask(crew, kpi, role):
    """Only the project's participants (and the secretariat) may ask for publication."""
    with pytest.raises(PermissionDenied):
        project_kpi_publicity_request(actor=crew.user(role), project=crew.project, kpi_id=kpi.pk)


def test_withdrawn_kpi_leaves_the_rollup(crew, figures):
    """Taking an approved KPI back to private removes it from the totals at once."""
    project_kpi_publicity_withdraw(
        actor=crew.coordinator, project=figures["a"], kpi_id=figures["a_hours"].pk
    )
    assert _totals(kpi_rollup_public())[("hours", "total", "")] == (Decimal(55), 1)


def test_review_page_is_secretariat_only(client, crew, kpi):
    """The queue is the secretariat's; a participant gets 404 and cannot post a decision."""
    project_kpi_publicity_request(actor=crew.coordinator, project=crew.project, kpi_id=kpi.pk)
    client.force_login(crew.coordinator)
    assert client.get(reverse("forum:kpi_review")).status_code == 404
    assert client.post(reverse("forum:kpi_decide", args=[kpi.pk, "approve"])).status_code == 404
    client.force_login(crew.secretariat)
    assert "削減された業務時間" in client.get(reverse("forum:kpi_review")).content.decode()
    client.post(reverse("forum:kpi_decide", args=[kpi.pk, "approve"]))
    assert ProjectKpi.objects.get(pk=kpi.pk).publicity == KpiPublicity.APPROVED


# --- by department ----------------------------------------------------------------------------


@pytest.fixture
def owned_figures(crew, figures):
    """The same projects with owners: A and the private C belong to 堺市 危機管理室, B to 堺市
    都市交通課. Counted by hand: hours 危機管理室 120 (A only; C is private), 都市交通課 55;
    people 危機管理室 30. Narrowed to 危機管理室: hours 120 (FY2024, safety, Sakai), people 30."""
    crisis = Department.objects.create(
        organisation=crew.municipality_org, name="危機管理室", slug="sakai-crisis", sort_order=1
    )
    transport = Department.objects.create(
        organisation=crew.municipality_org, name="都市交通課", slug="sakai-transport", sort_order=2
    )
    Project.objects.filter(pk__in=[figures["a"].pk, figures["c"].pk]).update(department=crisis)
    Project.objects.filter(pk=figures["b"].pk).update(department=transport)
    return {**figures, "crisis": crisis, "transport": transport}


def test_rollup_by_department_matches_hand_count(owned_figures):
    """Each unit has a row per owning department; the private project's KPI is not in it."""
    totals = _totals(kpi_rollup_public())
    rows = {k: v for k, v in totals.items() if k[1] == "department"}
    assert rows == {
        ("hours", "department", "sakai-crisis"): (Decimal(120), 1),
        ("hours", "department", "sakai-transport"): (Decimal(55), 1),
        ("people", "department", "sakai-crisis"): (Decimal(30), 1),
    }


def test_rollup_narrowed_to_one_department_matches_hand_count(owned_figures):
    """?department= keeps only the department's projects: B's 55 hours and Suita drop out."""
    assert _totals(kpi_rollup_public(owned_figures["crisis"])) == {
        ("hours", "total", ""): (Decimal(120), 1),
        ("hours", "fiscal_year", "2024"): (Decimal(120), 1),
        ("hours", "field", "safety"): (Decimal(120), 1),
        ("hours", "municipality", SAKAI): (Decimal(120), 1),
        ("hours", "department", "sakai-crisis"): (Decimal(120), 1),
        ("people", "total", ""): (Decimal(30), 1),
        ("people", "fiscal_year", "2025"): (Decimal(30), 1),
        ("people", "field", "safety"): (Decimal(30), 1),
        ("people", "municipality", SAKAI): (Decimal(30), 1),
        ("people", "department", "sakai-crisis"): (Decimal(30), 1),
    }


def _listed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return sorted(p.title for p in response.context["page_obj"].object_list)


def test_department_figures_link_to_the_projects_behind_them(client, owned_figures):
    """Every department number opens the list of exactly the projects counted in it."""
    blocks = {b.unit: b for b in kpi_rollup_public()}
    urls = {r.key: r.url for r in blocks["hours"].by_department}
    assert _listed(client, urls["sakai-crisis"]) == ["ため池の見守りプロジェクト"]
    assert _listed(client, urls["sakai-transport"]) == ["オンデマンド交通"]
    narrowed = {b.unit: b for b in kpi_rollup_public(owned_figures["transport"])}["hours"]
    assert _listed(client, narrowed.total.url) == ["オンデマンド交通"]
    [year] = narrowed.by_fiscal_year
    assert "department=sakai-transport" in year.url and "kpi_year=2025" in year.url
    assert _listed(client, year.url) == ["オンデマンド交通"]


def test_rollup_page_shows_department_table_and_narrows(client, owned_figures):
    """The page has a 所属別 table linking to its narrowing; narrowed, only 120 hours remain."""
    html = client.get(reverse("dashboard:kpis")).content.decode()
    assert 'id="table-hours-department"' in html
    assert 'href="?department=sakai-transport"' in html
    narrowed = client.get(reverse("dashboard:kpis"), {"department": "sakai-crisis"})
    html = narrowed.content.decode()
    assert 'id="department-scope"' in html and 'id="total-hours">120 ' in html
    assert "オンデマンド交通" not in html and "短縮された待ち時間" not in html
    assert "?kpi_unit=hours&amp;department=sakai-crisis" in html
    # The department's own page leads here.
    department_page = client.get(reverse("departments:detail", args=["sakai-crisis"]))
    assert '/dashboard/kpis/?department=sakai-crisis" id="department-kpis"' in (
        department_page.content.decode()
    )
    # An unknown slug shows the whole forum, as the dashboard does.
    whole = client.get(reverse("dashboard:kpis"), {"department": "nowhere"}).content.decode()
    assert 'id="total-hours">175 ' in whole and 'id="department-scope"' not in whole


def test_department_rollup_in_csv_json_and_api(client, owned_figures):
    """CSV, JSON and the API carry the department rows and take ?department= alike."""
    body = client.get(reverse("dashboard:kpis_csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert [
        "hours",
        "時間",
        "department",
        "sakai-transport",
        "堺市 都市交通課",
        "55.00",
        "1",
        "1",
    ] in [r[:8] for r in rows]
    narrowed = client.get(reverse("dashboard:kpis_csv"), {"department": "sakai-crisis"})
    assert "sakai-crisis" in narrowed["Content-Disposition"]
    narrowed_rows = list(csv.reader(io.StringIO(narrowed.content.decode("utf-8-sig"))))
    assert narrowed_rows[1][:6] == ["hours", "時間", "total", "", "合計", "120.00"]
    data = json.loads(
        client.get(reverse("dashboard:kpis_json"), {"department": "sakai-crisis"}).content
    )
    assert data["department"] == "sakai-crisis"
    assert {(f["unit"], f["dimension"]): f["total"] for f in data["figures"]}[
        ("hours", "total")
    ] == "120.00"
    api = client.get("/api/v1/dashboard/kpis/", {"department": "sakai-transport"}).json()
    assert [(f["unit"], f["dimension"], f["total"]) for f in api["figures"]][0] == (
        "hours",
        "total",
        "55.00",
    )
    assert {f["unit"] for f in api["figures"]} == {"hours"}
    assert client.get("/api/v1/dashboard/kpis/", {"department": "nowhere"}).status_code == 400
