from io import StringIO

from django.core.management import call_command

import pytest

from cms.demo.projects import DEMO_PROJECTS
from forum.models import Department, Municipality, Notification, Project, ProjectOutcome
from forum.rules.fiscal_year import FiscalPeriod
from forum.selectors.annual_report import annual_report
from forum.selectors.dashboard import dashboard_figures
from forum.selectors.dashboard_series import dashboard_series

pytestmark = pytest.mark.django_db


def test_demo_has_projects_in_several_stages_and_a_non_empty_dashboard(client):
    """setup_site --demo opens projects from matching to implementation, one public with a case study,
    with reports and outcomes, so both dashboards have figures; a rerun adds nothing."""
    call_command("setup_site", "--demo", stdout=StringIO())
    stages = set(Project.objects.values_list("stage", flat=True))
    assert {"matched", "poc", "evaluation", "implementation", "discontinued"} <= stages
    implemented = Project.objects.get(title=DEMO_PROJECTS[0].title)
    assert implemented.is_public and implemented.case_study
    assert implemented.proposal_links.exists()
    assert implemented.participants.filter(role="coordinator").exists()
    assert ProjectOutcome.objects.filter(decision="stopped").exists()
    secretariat = dashboard_figures(public=False)
    # The history since FY2020 tells the source documents' story: 48 projects, 23 implemented.
    assert (secretariat.project_count, secretariat.implemented_count) == (48, 23)
    assert secretariat.table("stale").rows  # one PoC has not reported for months
    public = dashboard_figures(public=True)
    assert public.project_count == Project.objects.filter(is_public=True).count() >= 1
    assert any(row[1] for row in public.table("median_days").rows)
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    count = Project.objects.count()
    call_command("setup_site", "--demo", stdout=StringIO())
    assert Project.objects.count() == count
    page = client.get("/projects/").content.decode()
    assert implemented.title in page


def test_demo_history_tells_the_strategy_meetings_story(client):
    """7 fields, 16 municipalities and the prefecture, 27 projects in progress in FY2022, 23 of
    48 implemented, departments of 大阪市 and 大阪府, and 大阪市's LINE road-damage report rolled
    out to the prefecture; every fiscal year from FY2020 has figures and the report shows them."""
    call_command("setup_site", "--demo", stdout=StringIO())
    projects = Project.objects.all()
    assert projects.count() == 48
    assert len({p.field_id for p in projects}) == 7
    places = Municipality.objects.filter(projects__isnull=False).distinct()
    assert places.exclude(kind="prefecture").count() == 16
    assert places.filter(kind="prefecture").exists()
    series = dashboard_series(public=False)
    assert series.value("projects_in_progress", FiscalPeriod(2022)) == 27
    assert series.value("implemented_total", series.periods[-1]) == 23
    assert [p.year for p in series.periods][:7] == list(range(2020, 2027))
    for year in range(2021, 2026):
        assert series.value("projects_reached", FiscalPeriod(year), "implementation")
    rollout = Project.objects.get(origin__title="LINEで道路の損傷を通報できるアプリ")
    assert rollout.department.organisation.municipality.kind == "prefecture"
    assert rollout.origin.department.slug == "osaka-city-construction"
    assert {d.organisation.municipality.code for d in Department.objects.all()} == {
        "271004",
        "270008",
    }
    report = annual_report(year=2023)
    assert rollout.origin.title in [p.title for p in report.rolled_out]
    assert report.figures["reached_implementation"] == 6
