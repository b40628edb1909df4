"""Receivers that only queue the forum's own background work after the commit.

forum.tasks imports the services (a task loads and calls a service); a service that wants an
email sent sends a signal instead of importing the task, and these receivers queue it. A change
of what public pages show drops the cached pages after the commit (forum/page_cache.py).
"""

from django.dispatch import receiver

from forum.page_cache import page_cache_bump_after_commit
from forum.queue import enqueue
from forum.signals import (
    challenge_changed,
    invitation_created,
    need_changed,
    notification_email_wanted,
    organisation_changed,
    panel_invitation_created,
    project_changed,
    solution_changed,
)
from forum.tasks import (
    invitation_email_send,
    notification_email_send,
    panel_invitation_email_send,
)


@receiver(notification_email_wanted)
def on_notification_email_wanted(sender, notification_id, **kwargs):
    enqueue(notification_email_send, notification_id)


@receiver(invitation_created)
def on_invitation_created(sender, invitation_id, **kwargs):
    enqueue(invitation_email_send, invitation_id)


@receiver(challenge_changed)
@receiver(solution_changed)
@receiver(organisation_changed)
@receiver(project_changed)
@receiver(need_changed)
def on_public_content_changed(sender, instance_id, **kwargs):
    page_cache_bump_after_commit()


@receiver(panel_invitation_created)
def on_panel_invitation_created(sender, panel_member_id, **kwargs):
    enqueue(panel_invitation_email_send, panel_member_id)
