"""Enqueue Celery tasks after the surrounding transaction commits, never failing the write."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs) -> None:
    """Send ``task`` once the current transaction commits; a broker outage is logged, not raised.

    Work that must not be lost is also recorded in the database (notification rows, index
    outbox), and a periodic sweep picks up whatever the broker never received.
    """

    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception:
            logger.warning(
                "Could not enqueue %s; the periodic sweep will retry.", task.name, exc_info=True
            )

    transaction.on_commit(send)
