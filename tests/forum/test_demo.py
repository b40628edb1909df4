from io import StringIO

from django.core.management import call_command

import pytest

from forum.models import Notification, Project, ProjectOutcome
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
