from io import StringIO

from django.core.management import call_command

import pytest

from forum.models import (
    ConflictDeclaration,
    Notification,
    PanelMember,
    Project,
    ProjectOutcome,
    ProposalDecision,
    Review,
    Selection,
)
from forum.selectors.dashboard import dashboard_figures

pytestmark = pytest.mark.django_db


def test_demo_has_projects_in_several_stages_and_a_non_empty_dashboard(client):
    """setup_site --demo opens projects from matching to implementation, one public with a case study,
    with reports and outcomes, so both dashboards have figures; a rerun adds nothing."""
    call_command("setup_site", "--demo", stdout=StringIO())
    stages = set(Project.objects.values_list("stage", flat=True))
    assert {"matched", "poc", "evaluation", "implementation", "discontinued"} <= stages
    implemented = Project.objects.get(stage="implementation")
    assert implemented.is_public and implemented.case_study
    assert implemented.proposal_links.exists()
    assert implemented.participants.filter(role="coordinator").exists()
    assert ProjectOutcome.objects.filter(decision="stopped").exists()
    secretariat = dashboard_figures(public=False)
    assert secretariat.implemented_count == 1
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
