"""Background work survives lost workers and broker restarts.

A message is acknowledged only after its task ran: a worker that dies leaves it to the next
worker (after the visibility timeout), a killed pool process has it put back at once, and a
worker that (re)connects to the broker sweeps up whatever was recorded while it was away.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

from django.conf import settings

import pytest
import redis

from tests.config.celery_probe import QUEUE
from tests.conftest import REQUIRE_SERVICES, celery_app_on, celery_worker_thread

PROBE = "tests.config.probe"
OUR_APPS = {"forum", "cms", "search", "matching"}
# No result backend: nothing here reads results, and one on a stopped Redis only adds noise.
NO_RESULTS = {"result_backend": None, "task_ignore_result": True}


def wait_for(condition, *, what: str, timeout: float = 60) -> None:
    """Poll until ``condition()`` holds; fail the test if it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.2)


@contextmanager
def probe_worker(broker: str):
    """A Celery worker in a process of its own (prefork, one pool process) on the probe queue."""
    env = {
        **os.environ,
        "CELERY_BROKER_URL": broker,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "tests.config.celery_probe",
        "worker",
        "--queues",
        QUEUE,
        "--pool",
        "prefork",
        "--concurrency",
        "1",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel",
        "WARNING",
    ]
    worker = subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield worker
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)


def test_every_task_ends_and_retries_within_the_visibility_timeout():
    """A lost message comes back within minutes, and no task runs or waits long enough to be
    delivered twice: hard time limit plus longest retry delay stay below the visibility timeout."""
    import cms.tasks  # noqa: F401
    import forum.tasks  # noqa: F401
    import matching.tasks  # noqa: F401
    import search.tasks  # noqa: F401
    from config.celery import app

    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert visibility <= 600
    ours = [task for name, task in app.tasks.items() if name.split(".")[0] in OUR_APPS]
    assert len(ours) >= 10
    for task in ours:
        hard = task.time_limit or app.conf.task_time_limit
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        longest_wait = max(task.default_retry_delay, task.retry_backoff_max)
        assert hard is not None and soft < hard, task.name
        assert hard + longest_wait < visibility, task.name
        assert soft > settings.TASK_WORK_BUDGET


@pytest.mark.redis
def test_task_of_a_killed_worker_is_delivered_again_to_the_next_worker(redis_url):
    """The message of a worker killed mid-task stays unacknowledged; once the visibility timeout
    (two seconds here) has passed, the next worker runs it."""
    from celery.contrib.testing.worker import start_worker

    client = redis.Redis.from_url(redis_url)
    key = "probe:killed-worker"
    # Two seconds instead of five minutes, and a look for such messages every ten seconds.
    transport = {"visibility_timeout": 2, "unacked_restore_throttle": 1}
    with celery_app_on(redis_url, broker_transport_options=transport, **NO_RESULTS) as app:
        with probe_worker(redis_url) as worker:
            app.send_task(PROBE, args=[redis_url, key, 600], queue=QUEUE)
            wait_for(lambda: client.get(f"{key}:attempts") == b"1", what="the first delivery")
            os.killpg(worker.pid, signal.SIGKILL)
        assert client.hlen("unacked") == 1  # held for redelivery, not acknowledged
        assert client.get(f"{key}:done") is None
        with start_worker(
            app,
            pool="solo",
            queues=[QUEUE],
            perform_ping_check=False,
            shutdown_timeout=10,
            loglevel="WARNING",
        ):
            wait_for(lambda: client.get(f"{key}:done") is not None, what="the redelivery")
    assert client.get(f"{key}:done") == b"2"


@pytest.mark.redis
def test_task_whose_pool_process_dies_is_put_back_at_once(redis_url):
    """When the pool process running a task is killed, the worker returns the message to the
    queue (instead of acknowledging it as failed) and runs it again, well before any timeout."""
    client = redis.Redis.from_url(redis_url)
    key = "probe:killed-pool-process"
    with celery_app_on(redis_url, **NO_RESULTS) as app, probe_worker(redis_url):
        app.send_task(PROBE, args=[redis_url, key, 600], queue=QUEUE)
        wait_for(lambda: client.get(f"{key}:pid") is not None, what="the first delivery")
        os.kill(int(client.get(f"{key}:pid")), signal.SIGKILL)
        wait_for(lambda: client.get(f"{key}:done") is not None, what="the second run")
    assert client.get(f"{key}:done") == b"2"


class RedisServer:
    """A redis-server of the test's own, on a free port, that the test stops and starts."""

    def __init__(self, binary: str):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.binary = binary
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _answers(self) -> bool:
        try:
            return redis.Redis.from_url(self.url, socket_timeout=1).ping()
        except redis.RedisError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, what="redis-server to start", timeout=20)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def own_redis():
    """A Redis the test may restart (the machine's own Redis is never stopped)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if REQUIRE_SERVICES:
            pytest.fail("redis-server is required (REQUIRE_SERVICES=1) but not installed.")
        pytest.skip("redis-server is not installed")
    server = RedisServer(binary)
    server.start()
    yield server
    server.stop()


def _publish_solution(title: str) -> int:
    """A published solution: its index change is recorded, and its task queued if the broker is up."""
    from forum.models import Field
    from forum.services.solutions import solution_create, solution_set_published
    from tests.forum.helpers import company_member

    user, organisation = company_member()
    solution = solution_create(
        actor=user,
        organisation=organisation,
        title=title,
        summary="見守り",
        fields=[Field.objects.first()],
    )
    solution_set_published(actor=user, solution=solution, published=True)
    return solution.pk


def _indexed(solution_id: int) -> bool:
    from search.models import IndexOutbox

    changes = IndexOutbox.objects.filter(doc_type="solution", object_id=solution_id)
    return changes.exists() and not changes.filter(processed_at__isnull=True).exists()


@pytest.mark.redis
def test_worker_sweeps_up_changes_saved_while_the_broker_was_down(own_redis, transactional_db):
    """Saved with the broker down, a change is indexed as soon as a worker connects; saved during
    a broker restart, as soon as the running worker has reconnected."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        if REQUIRE_SERVICES:
            pytest.fail("The Celery worker tests need PostgreSQL (set DATABASE_URL).")
        pytest.skip("the Celery worker tests need PostgreSQL (set DATABASE_URL)")
    with celery_app_on(own_redis.url, **NO_RESULTS):
        own_redis.stop()
        before_start = _publish_solution("ブローカー停止中の登録")
        own_redis.start()
        assert not _indexed(before_start)
        with celery_worker_thread(own_redis.url, flush=False, conf=NO_RESULTS):
            wait_for(lambda: _indexed(before_start), what="the sweep at connection")
            own_redis.stop()
            during_restart = _publish_solution("再起動中の登録")
            own_redis.start()
            assert not _indexed(during_restart)
            wait_for(lambda: _indexed(during_restart), what="the sweep at reconnection")
