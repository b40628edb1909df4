"""Run the periodic tasks of CELERY_BEAT_SCHEDULE in this process: the embedded default's beat.

With a broker, ``celery -A config beat`` sends the schedule's tasks to the workers. The
embedded default (``make run``) has no broker and no worker: tasks run in the process that
queues them, so nothing would ever run a periodic task (scheduled publishing, the sweeps,
the daily digest). This command evaluates the same schedule with Celery's own scheduler and
runs each due task here, one at a time.
"""

import logging
import time

from django.core.management.base import BaseCommand

from celery import current_app
from celery.beat import Scheduler

logger = logging.getLogger(__name__)


class InProcessScheduler(Scheduler):
    """Celery's in-memory scheduler that runs each due task locally instead of sending it.

    A failing task is logged and the schedule goes on; its next run comes at its next time.
    """

    @property
    def producer(self):
        return None  # nothing is published: there is no broker to publish to

    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        entry = self.reserve(entry) if advance else entry
        task = self.app.tasks.get(entry.task)
        if task is None:
            logger.warning("Periodic task %s is not registered; skipped.", entry.task)
            return None
        logger.debug("Running periodic task %s (%s)", entry.name, entry.task)
        result = task.apply(args=entry.args, kwargs=entry.kwargs)
        if result.failed():
            logger.warning("Periodic task %s failed: %r", entry.task, result.result)
        return result


class Command(BaseCommand):
    help = (
        "ブローカーのない既定構成で、CELERY_BEAT_SCHEDULE の定期タスク（予約公開など）を"
        "このプロセスで実行し続けます。ブローカーがあるときは celery beat を使ってください。"
    )

    def handle(self, *args, **options):
        app = current_app._get_current_object()
        if not app.conf.task_always_eager:
            self.stdout.write(
                "A broker is configured: run `celery -A config beat` and a worker instead."
            )
            return
        scheduler = InProcessScheduler(app=app)
        self.stdout.write(
            f"Running {len(scheduler.schedule)} periodic tasks in process "
            "(scheduled publishing every minute)."
        )
        try:
            while True:
                time.sleep(_pause(scheduler.tick()))
        except KeyboardInterrupt:
            return


def _pause(interval: float | None) -> float:
    """How long to sleep after a tick: its wait, never negative (a tick whose tasks ran longer
    than the next one's interval answers below zero: run again at once)."""
    return max(interval or 0.0, 0.0)
