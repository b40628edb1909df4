"""Receivers that only write outbox rows and enqueue background work after the commit."""

from django.dispatch import receiver

from forum.models import Challenge, Need, Organisation, Project, SolutionProfile
from forum.queue import enqueue
from forum.signals import (
    challenge_changed,
    need_changed,
    organisation_changed,
    project_changed,
    solution_changed,
)
from search.services import outbox_record, outbox_record_organisation
from search.signals import vectors_wanted
from search.tasks import index_outbox_apply, vectors_fill_task


@receiver(challenge_changed, sender=Challenge)
def on_challenge_changed(sender, instance_id, **kwargs):
    outbox_record(doc_type="challenge", object_id=instance_id)
    enqueue(index_outbox_apply)


@receiver(solution_changed, sender=SolutionProfile)
def on_solution_changed(sender, instance_id, **kwargs):
    outbox_record(doc_type="solution", object_id=instance_id)
    enqueue(index_outbox_apply)


@receiver(organisation_changed, sender=Organisation)
def on_organisation_changed(sender, instance_id, **kwargs):
    if outbox_record_organisation(organisation_id=instance_id):
        enqueue(index_outbox_apply)


@receiver(project_changed, sender=Project)
def on_project_changed(sender, instance_id, **kwargs):
    outbox_record(doc_type="project", object_id=instance_id)
    enqueue(index_outbox_apply)


@receiver(need_changed, sender=Need)
def on_need_changed(sender, instance_id, **kwargs):
    outbox_record(doc_type="need", object_id=instance_id)
    enqueue(index_outbox_apply)


@receiver(vectors_wanted)
def on_vectors_wanted(sender, **kwargs):
    enqueue(vectors_fill_task)
