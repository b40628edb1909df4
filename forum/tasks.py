"""Background work of the forum: tasks take ids and call a service; retries stay here."""

from celery import shared_task

from forum.queue import WorkBudget, enqueue
from forum.services.evaluation import panel_invitation_email_deliver
from forum.services.joining import invitation_email_deliver
from forum.services.notifications import (
    EmailNotSent,
    notification_digest_deliver,
    notification_email_deliver,
    notification_email_requeue,
)
from forum.services.submissions import submissions_purge
from forum.services.testers import tester_data_purge


@shared_task(bind=True, max_retries=5, retry_backoff=True, acks_late=True)
def notification_email_send(self, notification_id: int) -> bool:
    """Email one notification; safe to run twice (a sent notification is skipped)."""
    try:
        return notification_email_deliver(notification_id=notification_id)
    except EmailNotSent as exc:
        if self.request.called_directly or self.request.is_eager:
            return False
        raise self.retry(exc=exc) from exc


@shared_task
def notification_email_sweep() -> int:
    """Retry emails that were never sent (broker or mail server was down)."""
    return notification_email_requeue()


@shared_task(bind=True, max_retries=5, retry_backoff=True, acks_late=True)
def invitation_email_send(self, invitation_id: int) -> bool:
    """Mail an invitation link; skipped when the invitation is no longer open."""
    try:
        return invitation_email_deliver(invitation_id=invitation_id)
    except EmailNotSent as exc:
        if self.request.is_eager:
            return False
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=5, retry_backoff=True, acks_late=True)
def panel_invitation_email_send(self, panel_member_id: int) -> bool:
    """Mail an evaluator's invitation link; skipped once it is accepted."""
    try:
        return panel_invitation_email_deliver(panel_member_id=panel_member_id)
    except EmailNotSent as exc:
        if self.request.is_eager:
            return False
        raise self.retry(exc=exc) from exc


@shared_task(bind=True, max_retries=3, retry_backoff=True)
def notification_digest_send(self, after_user_id: int = 0) -> int:
    """Send each daily-digest user one email with their unsent notifications; returns emails sent.

    People are taken in order of id; in a worker, a run whose time budget is spent leaves
    the people after the last one served to a new task.
    """
    run = notification_digest_deliver(
        after_user_id=after_user_id, out_of_time=WorkBudget(self).spent
    )
    if run.stopped_after is not None:
        enqueue(notification_digest_send, after_user_id=run.stopped_after)
    return run.sent


@shared_task
def submissions_purge_task() -> int:
    """Hourly: forget API idempotency keys and web form tokens older than a day."""
    return submissions_purge()


@shared_task
def tester_data_purge_task() -> int:
    """Daily: delete testers' applications once their project's test is over."""
    return tester_data_purge()
