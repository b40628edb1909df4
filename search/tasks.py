"""Index sync in the background: apply the outbox after commits and sweep leftovers."""

from celery import shared_task

from search.services import outbox_apply, vector_centroids_refresh, vectors_fill, vectors_push_all


@shared_task(bind=True, max_retries=5, retry_backoff=True, retry_backoff_max=300, acks_late=True)
def index_outbox_apply(self) -> int:
    """Apply pending index changes (idempotent; safe to run many times)."""
    return outbox_apply()


@shared_task
def index_outbox_sweep() -> int:
    """Periodic catch-up for changes whose task never ran (broker or index was down)."""
    return outbox_apply(limit=5000)


@shared_task(bind=True, max_retries=5, retry_backoff=True, retry_backoff_max=600, acks_late=True)
def vectors_fill_task(self) -> int:
    """Compute missing sentence vectors in batches until none are left (idempotent)."""
    total = 0
    for _ in range(1000):  # bounded: a sweep picks up whatever is left
        done = vectors_fill()
        if not done:
            break
        total += done
    return total


@shared_task
def vector_centroids_refresh_task() -> bool:
    """Daily: re-estimate the language centroids and, if they moved, push vectors again."""
    moved = vector_centroids_refresh()
    if moved:
        vectors_push_all()
    return moved
