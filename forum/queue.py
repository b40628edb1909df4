"""Enqueue Celery tasks after the surrounding transaction commits, never failing the write."""

import logging
import time

from django.conf import settings
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


class WorkBudget:
    """How long one run of a task may go on before it leaves the rest to another run.

    A worker holds a task's message unacknowledged while the task runs, and the broker gives
    the message to another worker past its visibility timeout; so work that can grow without
    bound stops after TASK_WORK_BUDGET seconds, well inside the tasks' time limits, and the
    rest goes to a new message or the next sweep. A task run in process (the embedded
    default, or called directly) has no budget and finishes in one go.
    """

    def __init__(self, task=None):
        request = getattr(task, "request", None)
        in_worker = request is not None and not (request.is_eager or request.called_directly)
        self.deadline = time.monotonic() + settings.TASK_WORK_BUDGET if in_worker else None

    def spent(self) -> bool:
        """The run has used its time: stop at the next safe point."""
        return self.deadline is not None and time.monotonic() >= self.deadline
