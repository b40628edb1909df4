"""Index sync in the background: apply the outbox after commits and sweep leftovers."""

from celery import shared_task


@shared_task(bind=True, max_retries=5, retry_backoff=True, retry_backoff_max=300, acks_late=True)
def index_outbox_apply(self) -> int:
    """Apply pending index changes (idempotent; safe to run many times)."""
    from search.services import outbox_apply

    return outbox_apply()


@shared_task
def index_outbox_sweep() -> int:
    """Periodic catch-up for changes whose task never ran (broker or index was down)."""
    from search.services import outbox_apply

    return outbox_apply(limit=5000)
