"""Background work of the matching layer: alerts for new challenges and the stored alert rules."""

import logging
from datetime import timedelta

from django.db import DatabaseError
from django.utils import timezone

from celery import shared_task

from forum.models import Challenge
from matching import services
from matching.backends.embedded import EmbeddedAlertMatcher
from matching.models import ChallengeAlert
from matching.reminders import call_reminders_send
from search.backends.percolator import PercolatorUnavailable

logger = logging.getLogger(__name__)

SWEEP_WINDOW = timedelta(days=7)


def _backoff(task) -> int:
    """30 s, 60 s, 120 s…, never longer than the task's retry_backoff_max (see the settings)."""
    return min(task.retry_backoff_max, 30 * 2**task.request.retries)


def _cannot_retry(task) -> bool:
    request = task.request
    return request.called_directly or request.is_eager or request.retries >= task.max_retries


@shared_task(
    bind=True,
    autoretry_for=(DatabaseError,),
    max_retries=5,
    retry_backoff=True,
    acks_late=True,
)
def challenge_alerts_deliver(self, challenge_id: int) -> int:
    """Notify the interests matching a newly published challenge; idempotent.

    When Elasticsearch cannot percolate, the task retries with backoff; once retries are spent
    (or when tasks run in process) the same rule runs embedded, so no alert is lost.
    """
    try:
        return services.challenge_alerts_send(challenge_id=challenge_id)
    except PercolatorUnavailable as exc:
        if _cannot_retry(self):
            logger.warning(
                "Percolator unavailable for challenge %s; matching in process: %s",
                challenge_id,
                exc,
            )
            return services.challenge_alerts_send(
                challenge_id=challenge_id, matcher=EmbeddedAlertMatcher()
            )
        raise self.retry(exc=exc, countdown=_backoff(self)) from exc


@shared_task
def challenge_alerts_sweep() -> int:
    """Periodic catch-up for recently published challenges whose alert task never ran."""
    pending = (
        Challenge.objects.filter(
            is_published=True,
            status=Challenge.Status.OPEN,
            published_at__gte=timezone.now() - SWEEP_WINDOW,
        )
        .exclude(pk__in=ChallengeAlert.objects.values("challenge_id"))
        .values_list("pk", flat=True)[:200]
    )
    count = 0
    for challenge_id in pending:
        challenge_alerts_deliver.apply_async(args=[challenge_id])
        count += 1
    return count


@shared_task(bind=True, max_retries=5, acks_late=True)
def alert_index_sync(self) -> int:
    """Store changed alert rules where the backend keeps them (idempotent; also run by beat)."""
    try:
        return services.alert_index_sync()
    except PercolatorUnavailable as exc:
        if _cannot_retry(self):
            logger.warning("Could not store alert rules; the next sync will: %s", exc)
            return 0
        raise self.retry(exc=exc, countdown=_backoff(self)) from exc


@shared_task
def call_deadline_reminders() -> int:
    """Daily: remind followers and matching interests of calls' deadlines; never twice."""
    return call_reminders_send()
