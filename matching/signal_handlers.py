"""Receivers that only enqueue: alerts are decided in matching.tasks after the commit."""

from django.dispatch import receiver

from forum.models import Challenge
from forum.queue import enqueue
from forum.signals import challenge_changed


@receiver(challenge_changed, sender=Challenge)
def on_challenge_changed(sender, instance_id, **kwargs):
    from matching.tasks import challenge_alerts_deliver

    enqueue(challenge_alerts_deliver, instance_id)
