"""Index sync in the background: apply the outbox after commits and sweep leftovers."""

from celery import shared_task

from forum.queue import WorkBudget, enqueue
from search.services import outbox_apply, vector_centroids_refresh, vectors_fill, vectors_push_all


@shared_task(bind=True, max_retries=5, retry_backoff=True, acks_late=True)
def index_outbox_apply(self) -> int:
    """Apply pending index changes (idempotent; safe to run many times)."""
    return outbox_apply(budget=WorkBudget(self))


@shared_task(bind=True)
def index_outbox_sweep(self) -> int:
    """Catch-up for changes whose task never ran (broker or index was down): run by beat and
    whenever a worker connects; what its time budget leaves is for the next sweep."""
    return outbox_apply(limit=5000, budget=WorkBudget(self))


@shared_task(bind=True, max_retries=5, retry_backoff=True, acks_late=True)
def vectors_fill_task(self) -> int:
    """Compute missing sentence vectors in batches until none are left (idempotent).

    In a worker, a run stops when its time budget is spent and queues the rest as a new task.
    """
    budget = WorkBudget(self)
    total = 0
    for _ in range(1000):  # bounded: a sweep picks up whatever is left
        done = vectors_fill()
        if not done:
            break
        total += done
        if budget.spent():
            enqueue(vectors_fill_task)
            break
    return total


@shared_task
def vector_centroids_refresh_task() -> bool:
    """Daily: re-estimate the language centroids and, if they moved, push vectors again."""
    moved = vector_centroids_refresh()
    if moved:
        vectors_push_all()
    return moved
