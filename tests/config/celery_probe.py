"""A task for the broker tests: it counts its deliveries in Redis and stalls on the first.

Test workers load it with ``-A tests.config.celery_probe`` (the project's app with this task
added); it touches no database, so a worker in another process can run it.
"""

import os
import time

import redis

from config.celery import app

QUEUE = "probe"


@app.task(name="tests.config.probe")
def probe(url: str, key: str, stall: float) -> int:
    """Note the delivery; the first one stalls (its worker is killed meanwhile), later ones end."""
    client = redis.Redis.from_url(url)
    attempt = client.incr(f"{key}:attempts")
    if attempt == 1:
        client.set(f"{key}:pid", os.getpid())
        time.sleep(stall)
    client.set(f"{key}:done", attempt)
    return attempt
