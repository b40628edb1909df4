"""The one write a demonstration site needs that the platform itself never makes: moving a
project's history into the past, so a fresh demo has times in each stage. The demo's data and
everything else it creates live in cms/demo/, through the ordinary services."""

from datetime import datetime

from django.db import transaction

from forum.models import Challenge, Project, ProjectStageChange
from forum.signals import challenge_changed, project_changed


@transaction.atomic
def demo_project_backdate(*, project: Project, created_at: datetime) -> None:
    """Date the project's opening, and the stage changes it has so far, at ``created_at``."""
    Project.objects.filter(pk=project.pk).update(created_at=created_at)
    ProjectStageChange.objects.filter(project=project).update(created_at=created_at)
    project_changed.send(sender=Project, instance_id=project.pk)  # its search entry's date


@transaction.atomic
def demo_stage_change_backdate(*, project: Project, to_stage: str, created_at: datetime) -> None:
    """Date the project's move to ``to_stage`` at ``created_at``."""
    ProjectStageChange.objects.filter(project=project, to_stage=to_stage).update(
        created_at=created_at
    )


@transaction.atomic
def demo_last_change_backdate(*, project: Project, created_at: datetime) -> None:
    """Date the project's latest stage change at ``created_at`` (a stage entered twice keeps
    each entry's own date)."""
    latest = ProjectStageChange.objects.filter(project=project).order_by("-pk").first()
    if latest is not None:
        ProjectStageChange.objects.filter(pk=latest.pk).update(created_at=created_at)


@transaction.atomic
def demo_challenge_backdate(*, challenge: Challenge, published_at: datetime) -> None:
    """Date a challenge's publication at ``published_at`` (a history's projects follow it)."""
    moved = Challenge.objects.filter(pk=challenge.pk, published_at__gt=published_at).update(
        published_at=published_at
    )
    if moved:
        challenge_changed.send(sender=Challenge, instance_id=challenge.pk)  # its entry's date
