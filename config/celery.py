"""The Celery application shared by the web processes, the worker and beat."""

import logging
import os

from django.conf import settings

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

logger = logging.getLogger(__name__)

app = Celery("forum")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class SweepsOnConnect(bootsteps.StartStopStep):
    """Queues the catch-up sweeps (WORKER_SWEEPS_ON_CONNECT) whenever the worker connects.

    A worker's consumer starts its steps again after every lost broker connection, so this
    runs at start and after each reconnection: work recorded while the broker was away
    (index outbox rows, unsent emails, undelivered alerts) is picked up at once instead of
    at the next beat. The sweeps are idempotent, so several workers sending them is harmless.
    """

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def start(self, c):
        for name in settings.WORKER_SWEEPS_ON_CONNECT:
            try:
                c.app.send_task(name, connection=c.connection)
            except Exception:
                logger.warning("Could not queue %s after connecting.", name, exc_info=True)


app.steps["consumer"].add(SweepsOnConnect)
