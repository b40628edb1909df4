"""Test-wide fixtures: service detection, a real Celery worker on Redis, common people."""

import os
import socket
from contextlib import contextmanager
from urllib.parse import urlparse

from django.conf import settings

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1
        ):
            return True
    except OSError:
        return False


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    host = settings.DATABASES["default"].get("HOST") or "-"
    redis = "reachable" if _reachable(REDIS_URL) else "unreachable"
    return [
        f"database: {engine} ({host})",
        f"redis: {REDIS_URL} ({redis})",
        f"require services: {REQUIRE_SERVICES}",
    ]


def pytest_sessionstart(session):
    if (
        REQUIRE_SERVICES
        and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
    ):
        raise pytest.UsageError(
            "REQUIRE_SERVICES=1 but the suite is not running on PostgreSQL (set DATABASE_URL)."
        )


def pytest_runtest_setup(item):
    if (
        item.get_closest_marker("postgres")
        and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql"
    ):
        if REQUIRE_SERVICES:
            pytest.fail(
                "PostgreSQL is required (REQUIRE_SERVICES=1) but DATABASE_URL is not PostgreSQL."
            )
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture(autouse=True)
def _media_roots(settings, tmp_path):
    """Keep uploaded files of each test in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty in-process cache: rate limits counted (sign-ins, sign-ups,
    the API) and renditions remembered by one test must not reach the next. A shared cache
    (CACHE_URL) is never flushed by the suite."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    for cache in caches.all():
        if isinstance(cache, LocMemCache):
            cache.clear()


@pytest.fixture(autouse=True)
def _japanese_first():
    """Each test starts in Japanese: a request in English leaves its language active in the
    thread (LocaleMiddleware does not reset it), which would leak into the next test."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def client():
    """The test client: `force_login` passes the second factor of a person who has one, as
    signing in through allauth does (`force_login(user, mfa=False)` does not)."""
    from tests.forum.helpers import Client

    return Client()


@pytest.fixture
def redis_url():
    """The Redis URL for broker tests; skipped (or failed in CI) when Redis is down."""
    if not _reachable(REDIS_URL):
        if REQUIRE_SERVICES:
            pytest.fail(f"Redis is required (REQUIRE_SERVICES=1) but {REDIS_URL} is unreachable.")
        pytest.skip("Redis is not reachable")
    return REDIS_URL


@pytest.fixture
def celery_worker_on_redis(redis_url, transactional_db):
    """A real Celery worker thread consuming from Redis; tasks are not eager inside it.

    It needs PostgreSQL: the worker thread and the test write the same tables at once,
    which the in-memory SQLite test database only allows one connection at a time.
    """
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        if REQUIRE_SERVICES:
            pytest.fail("The Celery worker tests need PostgreSQL (set DATABASE_URL).")
        pytest.skip("the Celery worker tests need PostgreSQL (set DATABASE_URL)")

    # The database number in REDIS_URL keeps parallel test runs apart; it is flushed first.
    with celery_worker_thread(redis_url) as worker:
        yield worker


@contextmanager
def celery_app_on(broker: str, *, flush: bool = True, **conf):
    """The project's Celery app sending to ``broker`` (not eager), set back after.

    The broker's database is flushed first unless ``flush`` is false; ``conf`` overrides
    other settings of the app meanwhile.
    """
    from config.celery import app

    settings_used = {"broker_url": broker, "task_always_eager": False, **conf}
    settings_used.setdefault("result_backend", broker)
    settings_used.setdefault("task_ignore_result", False)
    previous = {key: app.conf.get(key) for key in settings_used}
    app.conf.update(settings_used)
    _reset_connections(app)
    if flush:
        with app.connection_for_write() as conn:
            conn.default_channel.client.flushdb()
    try:
        yield app
    finally:
        app.conf.update(previous)
        _reset_connections(app)


@contextmanager
def celery_worker_thread(broker: str, *, flush: bool = True, conf=None, **worker_options):
    """A real Celery worker thread of the project's app consuming from ``broker``.

    ``conf`` overrides settings of the app while it runs; ``worker_options`` go to the worker
    (``queues`` for example).
    """
    from celery.contrib.testing.worker import start_worker

    with (
        celery_app_on(broker, flush=flush, **(conf or {})) as app,
        start_worker(
            app,
            pool="solo",
            perform_ping_check=False,
            shutdown_timeout=10,
            loglevel="WARNING",
            **worker_options,
        ) as worker,
    ):
        yield worker


def _reset_connections(app) -> None:
    """Drop pooled broker connections so the next use connects to the configured broker."""
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    # kombu keeps producer pools in a process-wide registry keyed by connection.
    pools.reset()
    app.__dict__.pop("backend", None)


@pytest.fixture(autouse=True)
def reference_data(request):
    """Fields, public bodies, technologies and role groups, present in every database test."""
    names = set(request.fixturenames)
    if request.node.get_closest_marker("django_db") is None and not names & {
        "db",
        "transactional_db",
        "live_server",
        "client",
        "admin_client",
    }:
        return
    request.getfixturevalue("_django_db_helper")
    from forum.models import Field
    from forum.services.groups import groups_ensure
    from forum.services.reference import reference_data_load

    if not Field.objects.exists():
        # A transactional test before this one flushed the database, Wagtail's roots included.
        _wagtail_roots_ensure()
        reference_data_load()
        groups_ensure()


def _wagtail_roots_ensure() -> None:
    from django.conf import settings as django_settings

    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code=django_settings.LANGUAGE_CODE)
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data once, committed, into the fresh test database."""
    from forum.services.groups import groups_ensure
    from forum.services.reference import reference_data_load

    with django_db_blocker.unblock():
        reference_data_load()
        groups_ensure()
    yield
    # Threads that served a live server or ran the Celery worker may still hold a
    # connection to the test database; end them so that it can be dropped cleanly.
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
