"""The annual report: its numbers are the dashboard's for the same fiscal year, its lists, its
charts drawn as SVG from the same series, the PDF, and only the secretariat may have it."""

import re

from django.urls import reverse

import pytest

from forum.charts import chart_svg
from forum.models import Department, Municipality, Organisation
from forum.rules.fiscal_year import FiscalPeriod
from forum.selectors.annual_report import annual_report
from forum.selectors.dashboard_series import dashboard_series
from tests.forum.helpers import (
    company_member,
    municipality_staff,
    secretariat_user,
    signed_in_with_mfa,
)
from tests.forum.series_fixtures import TODAY, make_series_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return make_series_world()


MEASURES = {
    "challenges_published": ("challenges_published", ""),
    "proposals": ("proposals", ""),
    "projects_started": ("projects_started", ""),
    "reached_poc": ("projects_reached", "poc"),
    "reached_evaluation": ("projects_reached", "evaluation"),
    "reached_implementation": ("projects_reached", "implementation"),
    "reached_rollout": ("projects_reached", "rollout"),
    "in_progress": ("projects_in_progress", ""),
    "implementation_rate": ("implementation_rate", ""),
    "projects_total": ("projects_started_total", ""),
    "implemented_total": ("implemented_total", ""),
    "implementation_rate_total": ("implementation_rate_total", ""),
}


@pytest.mark.parametrize("year", [2020, 2022, 2023, 2024])
def test_report_numbers_equal_the_dashboard(world, year):
    """Every headline number is the secretariat dashboard's series value for the same year."""
    report = annual_report(year=year, today=TODAY)
    series = dashboard_series(public=False, today=TODAY)
    for name, (measure, stage) in MEASURES.items():
        assert report.figures[name] == series.value(measure, FiscalPeriod(year), stage), name
    assert report.year_table("activity").rows[-1] == series.table("activity").rows[year - 2020]


def test_report_lists_implementation_and_rollout_of_the_year(world):
    fy2023, fy2024 = annual_report(year=2023, today=TODAY), annual_report(year=2024, today=TODAY)
    assert [p.title for p in fy2023.implemented] == ["P1"]
    assert fy2023.rolled_out == []
    assert [p.title for p in fy2024.implemented] == ["P2"]
    assert [p.title for p in fy2024.rolled_out] == ["P1"]
    # P1 is public with a case study and rolled out in FY2024.
    assert [p.title for p in fy2024.case_studies] == ["P1"]


def test_report_groups_stale_projects_by_department(world):
    """P4 (matched, no report since 2024-04-01) is stale; it has no owning department."""
    report = annual_report(year=2024, today=TODAY)
    names = {
        name: [p.title for _days, p in projects] for name, projects in report.stale_by_department
    }
    assert "P4" in names["担当所属なし"]


def test_svg_chart_draws_the_table_numbers():
    svg = chart_svg(
        {
            "type": "bar",
            "labels": ["令和4年度", "令和5年度"],
            "datasets": [{"label": "件数", "data": [2, 4]}],
        },
        title="件数",
    )
    heights = [
        float(h)
        for h in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"', svg)
    ]
    assert heights[0] * 2 == pytest.approx(heights[1])
    assert "令和5年度" in svg and "<script" not in svg


def test_svg_chart_escapes_labels():
    svg = chart_svg({"type": "line", "labels": ["<b>"], "datasets": [{"label": "&", "data": [1]}]})
    assert "<b>" not in svg and "&lt;b&gt;" in svg


def _figures(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-figure="(\w+)">([^<]*)<', html))


def test_report_page_shows_the_figures_and_charts(client, world):
    signed_in_with_mfa(client, secretariat_user())
    response = client.get(reverse("forum:annual_report_year", args=[2023]))
    assert response.status_code == 200
    html = response.content.decode()
    report = annual_report(year=2023)
    shown = _figures(html)
    assert shown["proposals"] == str(report.figures["proposals"])
    assert shown["reached_implementation"] == str(report.figures["reached_implementation"])
    assert html.count("<svg") == 3
    assert "令和5年度 年次報告" in html


def test_report_page_in_english(client, world):
    signed_in_with_mfa(client, secretariat_user())
    html = client.get(reverse("forum:annual_report_year", args=[2023]), {"lang": "en"}).content
    assert "FY2023" in html.decode()


def test_report_names_departments_in_english_on_the_english_site(client, db):
    """In English a department reads as on /departments/ ("Osaka City Digital Transformation
    Bureau"), never with the organisation's Japanese name; Japanese stays 大阪市 デジタル統括室."""
    city = Organisation.objects.create(
        name="大阪市",
        kind="municipality",
        status="approved",
        municipality=Municipality.objects.get(code="271004"),
    )
    digital = Department.objects.create(
        organisation=city,
        name="デジタル統括室",
        name_en="Digital Transformation Bureau",
        slug="osaka-city-digital",
    )
    make_series_world(department=digital)
    signed_in_with_mfa(client, secretariat_user())
    url = reverse("forum:annual_report_year", args=[2023])
    english = client.get(url, {"lang": "en"}).content.decode()
    assert "Osaka City Digital Transformation Bureau" in english
    assert "大阪市 Digital" not in english
    assert "大阪市 デジタル統括室" in client.get(url, {"lang": "ja"}).content.decode()


def test_report_dates_read_like_the_rest_of_the_site(client, world):
    """The report's period and list dates use the site's date format, not ISO dates."""
    signed_in_with_mfa(client, secretariat_user())
    url = reverse("forum:annual_report_year", args=[2023])
    japanese = client.get(url, {"lang": "ja"}).content.decode()
    assert "対象期間: 2023年4月1日 〜 2024年3月31日" in japanese
    assert "2024年3月31日</td>" in japanese
    english = client.get(url, {"lang": "en"}).content.decode()
    assert "1 Apr 2023" in english and "31 Mar 2024</td>" in english
    assert not re.search(r"\d{4}-\d{2}-\d{2}", japanese + english)


def _year_options(html: str) -> list[str]:
    select = html[html.index('<select id="year"') :]
    return re.findall(r"<option[^>]*>([^<]*)</option>", select[: select.index("</select>")])


def test_report_year_choice_names_years_as_the_report_does(client, world):
    """The year selector names fiscal years as the report's heading does: 令和5年度 with the
    Western year beside it in Japanese, FY2023 in English."""
    signed_in_with_mfa(client, secretariat_user())
    url = reverse("forum:annual_report_year", args=[2023])
    options = _year_options(client.get(url, {"lang": "ja"}).content.decode())
    assert "令和5年度（2023年度）" in options and options[-1] == "令和2年度（2020年度）"
    assert "2023" not in options
    english = _year_options(client.get(url, {"lang": "en"}).content.decode())
    assert "FY2023" in english and english[-1] == "FY2020"


def test_report_follows_the_site_language_unless_asked(client, world, settings):
    """A secretariat member on the English site gets the English report; ?lang=ja still gives
    the Japanese one for the strategy meeting."""
    signed_in_with_mfa(client, secretariat_user())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("forum:annual_report_year", args=[2023])
    assert "FY2023" in client.get(url).content.decode()
    assert "令和5年度 年次報告" in client.get(url, {"lang": "ja"}).content.decode()


def test_report_index_redirects_to_the_chosen_year(client, world):
    signed_in_with_mfa(client, secretariat_user())
    response = client.get(reverse("forum:annual_report"), {"year": "2022"})
    assert response.url == reverse("forum:annual_report_year", args=[2022])
    assert client.get(reverse("forum:annual_report_year", args=[1999])).status_code == 404


def test_report_pdf_is_a_pdf(client, world):
    signed_in_with_mfa(client, secretariat_user())
    response = client.get(reverse("forum:annual_report_pdf", args=[2023]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("name", ["annual_report", "annual_report_year", "annual_report_pdf"])
@pytest.mark.parametrize("who", ["company", "municipality"])
def test_report_refused_to_everyone_but_the_secretariat(client, world, name, who):
    user = company_member()[0] if who == "company" else municipality_staff()
    signed_in_with_mfa(client, user)
    args = [] if name == "annual_report" else [2023]
    assert client.get(reverse(f"forum:{name}", args=args)).status_code == 404


def test_report_needs_sign_in(client, world):
    response = client.get(reverse("forum:annual_report_pdf", args=[2023]))
    assert response.status_code == 302


def test_report_names_at_most_ten_stale_projects_per_department(world):
    """A department with many stale projects is counted in full and named in part."""
    report = annual_report(year=2024, today=TODAY)
    report.stale_by_department = [("大阪市 建設局", [(100 + i, f"p{i}") for i in range(12)])]
    [(name, count, listed, more)] = report.stale_listed
    assert (name, count, len(listed), more) == ("大阪市 建設局", 12, 10, 2)
