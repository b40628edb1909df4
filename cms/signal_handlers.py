"""Receivers that only delegate: page events to the forum's record, approvals to municipalities.

Publishing writes the challenge's published row in the same transaction as the page, so
the record the rest of the platform reads never disagrees with the live page.
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished, task_rejected, workflow_approved

from cms.models import ChallengePage
from cms.services import challenge_page_published, challenge_page_unpublished, moderation_notify
from cms.tasks import municipality_space_setup
from forum.models import Organisation
from forum.page_cache import page_cache_bump_after_commit
from forum.queue import enqueue
from forum.signals import organisation_changed


@receiver(page_published, sender=ChallengePage)
def on_challenge_published(sender, instance, **kwargs):
    challenge_page_published(page_id=instance.pk)


@receiver(page_unpublished, sender=ChallengePage)
def on_challenge_unpublished(sender, instance, **kwargs):
    challenge_page_unpublished(page_id=instance.pk)


@receiver(post_delete, sender=ChallengePage)
def on_challenge_deleted(sender, instance, **kwargs):
    challenge_page_unpublished(page_id=instance.pk)


@receiver(page_published)
@receiver(page_unpublished)
def on_page_published_or_unpublished(sender, instance, **kwargs):
    page_cache_bump_after_commit()


@receiver(organisation_changed, sender=Organisation)
def on_organisation_changed(sender, instance_id, **kwargs):
    enqueue(municipality_space_setup, instance_id)


@receiver(workflow_approved)
def on_workflow_approved(sender, instance, user, **kwargs):
    moderation_notify(workflow_state_id=instance.pk, approved=True, actor=user)


@receiver(task_rejected)
def on_task_rejected(sender, instance, user, **kwargs):
    moderation_notify(workflow_state_id=instance.workflow_state_id, approved=False, actor=user)
