"""Receivers that only queue the forum's own background work after the commit.

forum.tasks imports the services (a task loads and calls a service); a service that wants an
email sent sends a signal instead of importing the task, and these receivers queue it.
"""

from django.dispatch import receiver

from forum.queue import enqueue
from forum.signals import (
    invitation_created,
    notification_email_wanted,
    panel_invitation_created,
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


@receiver(panel_invitation_created)
def on_panel_invitation_created(sender, panel_member_id, **kwargs):
    enqueue(panel_invitation_email_send, panel_member_id)
