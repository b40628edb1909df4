"""Receivers that only write outbox rows and enqueue their application after commit."""

from django.dispatch import receiver

from forum.models import Challenge, Organisation, Project, SolutionProfile
from forum.queue import enqueue
from forum.signals import (
    challenge_changed,
    organisation_changed,
    project_changed,
    solution_changed,
)


@receiver(challenge_changed, sender=Challenge)
def on_challenge_changed(sender, instance_id, **kwargs):
    from search.services import outbox_record
    from search.tasks import index_outbox_apply

    outbox_record(doc_type="challenge", object_id=instance_id)
    enqueue(index_outbox_apply)


@receiver(solution_changed, sender=SolutionProfile)
def on_solution_changed(sender, instance_id, **kwargs):
    from search.services import outbox_record
    from search.tasks import index_outbox_apply

    outbox_record(doc_type="solution", object_id=instance_id)
    enqueue(index_outbox_apply)


@receiver(organisation_changed, sender=Organisation)
def on_organisation_changed(sender, instance_id, **kwargs):
    from search.services import outbox_record_organisation
    from search.tasks import index_outbox_apply

    if outbox_record_organisation(organisation_id=instance_id):
        enqueue(index_outbox_apply)


@receiver(project_changed, sender=Project)
def on_project_changed(sender, instance_id, **kwargs):
    from search.services import outbox_record
    from search.tasks import index_outbox_apply

    outbox_record(doc_type="project", object_id=instance_id)
    enqueue(index_outbox_apply)
