"""The dashboard and project pages read with the same number of queries however many projects there are."""

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from forum.models import (
    KpiValue,
    ProgressReport,
    Project,
    ProjectKpi,
    ProjectMilestone,
    ProjectParticipant,
    ProjectStageChange,
)

pytestmark = pytest.mark.django_db


def _grow(crew, n: int) -> None:
    """Add n public projects like the crew's, and n milestones, reports and stage moves to the crew's."""
    now = timezone.now()
    today = timezone.localdate()
    kpi = ProjectKpi.objects.create(project=crew.project, name=f"KPI{n}", unit="count")
    for i in range(n):
        project = Project.objects.create(
            title=f"公開プロジェクト{n}-{i}",
            field=crew.project.field,
            stage="poc",
            is_public=True,
            case_study="事例",
            created_at=now - timedelta(days=200),
        )
        project.municipalities.set(crew.project.municipalities.all())
        project.challenges.set([crew.challenge])
        ProjectParticipant.objects.create(
            project=project, organisation=crew.coordinator_org, role="coordinator"
        )
        ProjectParticipant.objects.create(
            project=project, organisation=crew.municipality_org, role="municipality"
        )
        for stage, days in (("matched", 200), ("poc_planning", 150), ("poc", 100)):
            ProjectStageChange.objects.create(
                project=project, to_stage=stage, created_at=now - timedelta(days=days)
            )
        ProjectMilestone.objects.create(project=project, title="m", due_on=today, weight=2)
        ProgressReport.objects.create(project=project, reported_on=today, body="r")
        ProjectMilestone.objects.create(
            project=crew.project, title=f"m{n}-{i}", due_on=today, done=i % 2 == 0
        )
        report = ProgressReport.objects.create(
            project=crew.project, reported_on=today - timedelta(days=i), body=f"r{n}-{i}"
        )
        KpiValue.objects.create(report=report, kpi=kpi, value=Decimal(i))
        ProjectStageChange.objects.create(
            project=crew.project, from_stage="matched", to_stage="poc_planning", note=f"{i}"
        )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


PAGES = {
    "public_list": lambda crew: reverse("projects:list"),
    "public_dashboard": lambda crew: reverse("dashboard:public"),
    "secretariat_dashboard": lambda crew: reverse("forum:dashboard"),
    "member_list": lambda crew: reverse("forum:project_list"),
    "project_page": lambda crew: reverse("projects:detail", args=[crew.project.pk]),
    "manage_page": lambda crew: reverse("forum:project_manage", args=[crew.project.pk]),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_queries_do_not_grow_with_projects(client, crew, page):
    """The same page costs the same number of queries with 2 and with 7 more projects and records."""
    client.force_login(crew.secretariat)
    url = PAGES[page](crew)
    _grow(crew, 2)
    client.get(url)  # warm caches that are not per request (content types, site)
    small = _count(client, url)
    _grow(crew, 5)
    assert _count(client, url) == small


def test_public_project_page_queries_do_not_grow(client, crew):
    """A visitor's view of a public project page is also constant."""
    Project.objects.filter(pk=crew.project.pk).update(is_public=True, case_study="事例")
    url = reverse("projects:detail", args=[crew.project.pk])
    _grow(crew, 2)
    client.get(url)
    small = _count(client, url)
    _grow(crew, 5)
    assert _count(client, url) == small
