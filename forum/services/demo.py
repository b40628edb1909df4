"""The one write a demonstration site needs that the platform itself never makes: moving a
project's history into the past, so a fresh demo has times in each stage. The demo's data and
everything else it creates live in cms/demo/, through the ordinary services."""

from datetime import datetime

from django.db import transaction

from forum.models import Project, ProjectStageChange


@transaction.atomic
def demo_project_backdate(*, project: Project, created_at: datetime) -> None:
    """Date the project's opening, and the stage changes it has so far, at ``created_at``."""
    Project.objects.filter(pk=project.pk).update(created_at=created_at)
    ProjectStageChange.objects.filter(project=project).update(created_at=created_at)


@transaction.atomic
def demo_stage_change_backdate(*, project: Project, to_stage: str, created_at: datetime) -> None:
    """Date the project's move to ``to_stage`` at ``created_at``."""
    ProjectStageChange.objects.filter(project=project, to_stage=to_stage).update(
        created_at=created_at
    )
