"""Receivers that only enqueue: alerts and stored rules are handled in matching.tasks."""

from django.dispatch import receiver

from forum.models import Challenge
from forum.queue import enqueue
from forum.signals import challenge_changed
from matching.models import Interest
from matching.signals import interest_changed
from matching.tasks import alert_index_sync, challenge_alerts_deliver


@receiver(challenge_changed, sender=Challenge)
def on_challenge_changed(sender, instance_id, **kwargs):
    enqueue(challenge_alerts_deliver, instance_id)


@receiver(interest_changed, sender=Interest)
def on_interest_changed(sender, **kwargs):
    enqueue(alert_index_sync)
