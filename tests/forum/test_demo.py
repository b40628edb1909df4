from io import StringIO

from django.core.management import call_command

import pytest

from cms.demo.projects import DEMO_PROJECTS
from cms.models import ChallengePage
from forum.models import (
    Challenge,
    ConflictDeclaration,
    Department,
    Municipality,
    Notification,
    PanelMember,
    Project,
    ProjectOutcome,
    ProposalDecision,
    Review,
    Selection,
)
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
    for stopped in ProjectOutcome.objects.filter(decision="stopped").select_related("stage_change"):
        # A stop's note gives the decision; the lessons are not recorded (or notified) twice.
        assert stopped.stage_change.note and stopped.stage_change.note != stopped.lessons
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
    _assert_finished_selection(client, implemented)


def test_demo_has_a_past_call_with_published_answers_and_an_open_call(client):
    """setup_site --demo adds a forum-wide call whose intake is over, with a briefing and
    published answers, and one open for intake with its question deadline ahead."""
    from django.utils import timezone

    from cms.models import EventPage
    from forum.models import Call, Question

    call_command("setup_site", "--demo", stdout=StringIO())
    today = timezone.localdate()
    past = Call.objects.get(slug="r8-1")
    assert past.intake_closes_on < today and past.challenges.count() == 2
    assert EventPage.objects.filter(call=past).exists()
    assert Question.objects.filter(challenge__call=past, status="published").count() == 2
    assert set(past.challenges.values_list("status", flat=True)) == {"closed"}
    current = Call.objects.get(slug="r8-2")
    assert current.intake_opens_on <= today <= current.intake_closes_on
    assert current.question_deadline > today
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    call_command("setup_site", "--demo", stdout=StringIO())
    assert Call.objects.count() == 2 and Question.objects.count() == 2
    page = client.get("/calls/r8-1/").content.decode()
    assert "令和8年度 第1回 地域課題募集 説明会" in page


def _assert_finished_selection(client, project) -> None:
    """The implemented project came out of a published selection: criteria, a panel of two with
    one conflict declared, scores, a decision with feedback, and a public result."""
    selection = Selection.objects.get()
    challenge = selection.challenge
    assert selection.is_decided and selection.is_published
    assert challenge.criteria.count() == 5
    assert PanelMember.objects.filter(challenge=challenge).count() == 2
    assert ConflictDeclaration.objects.filter(has_conflict=True).count() == 1
    assert Review.objects.filter(panel_member__challenge=challenge).count() == 3
    chosen = ProposalDecision.objects.get(outcome="selected").proposal
    assert project.proposal_links.filter(proposal=chosen).exists()
    other = ProposalDecision.objects.get(outcome="not_selected")
    assert other.bands and other.feedback_note
    result = client.get(f"/api/v1/results/{challenge.pk}/").json()
    assert result["received"] == 2 and result["selected"][0]["title"] == chosen.title


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
    # 大阪市's challenges name their owner in the page editor; publishing copied it to the record.
    owned = list(Challenge.objects.filter(is_published=True, municipality__code="271004"))
    assert owned and {c.department.slug for c in owned} == {"osaka-city-digital"}
    page = ChallengePage.objects.get(pk=owned[0].page_id)
    assert (page.department.slug, page.responsible_post) == (
        "osaka-city-digital",
        owned[0].responsible_post,
    )
    assert page.responsible_post
    report = annual_report(year=2023)
    assert rollout.origin.title in [p.title for p in report.rolled_out]
    assert report.figures["reached_implementation"] == 6
    # Each department's implemented projects report the hours they saved, made public: the
    # public KPIs add up by department.
    from forum.selectors.kpis import kpi_measurement_list_public

    construction = Department.objects.get(slug="osaka-city-construction")
    saved = kpi_measurement_list_public(department_id=construction.pk)
    assert saved and {m.department_id for m in saved} == {construction.pk}
    html = client.get("/dashboard/kpis/", {"department": construction.slug}).content.decode()
    assert "削減された業務時間" in html
