"""Pages, the API and writes while Redis (CACHE_URL and the Celery broker) is unreachable: the
cache is an optimisation and the broker a queue with an outbox behind it (config/settings)."""

import logging
import shutil
import socket
import subprocess
import time
from pathlib import Path
from runpy import run_path

from django.conf import settings as django_settings
from django.core.cache import caches

import pytest

from forum.models import SolutionProfile
from search.models import IndexOutbox
from tests.cms.factories import challenge_page
from tests.conftest import REQUIRE_SERVICES, _reset_connections
from tests.forum.api.helpers import bearer, member_with_token

pytestmark = pytest.mark.django_db

CLOSED = "redis://127.0.0.1:1/3"


def settings_for(monkeypatch, **environment) -> dict:
    """The base settings as config/settings/base.py builds them from the given environment."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return run_path(str(Path(django_settings.BASE_DIR) / "config" / "settings" / "base.py"))


@pytest.fixture
def redis_at(settings, monkeypatch):
    """Point the default cache (as CACHE_URL configures it) and the Celery broker at a URL."""
    from config.celery import app

    previous = {key: app.conf.get(key) for key in ("broker_url", "task_always_eager")}

    def point(url: str) -> None:
        built = settings_for(monkeypatch, CACHE_URL=url)
        settings.CACHES = built["CACHES"]
        for name, value in built.items():
            if name.startswith("DJANGO_REDIS_"):
                setattr(settings, name, value)
        app.conf.update(
            broker_url=url,
            task_always_eager=False,
            broker_transport_options=built["CELERY_BROKER_TRANSPORT_OPTIONS"],
            task_publish_retry_policy=built["CELERY_TASK_PUBLISH_RETRY_POLICY"],
        )
        _reset_connections(app)

    yield point
    caches["default"].close()
    app.conf.update(previous)
    _reset_connections(app)


@pytest.fixture
def site(db):
    """The site's page tree: home page and the challenge list."""
    from cms.services import site_ensure

    return site_ensure()


@pytest.fixture
def outage_log(caplog):
    """Records of the cache outage, with the once-a-minute filter of LOGGING starting afresh."""
    from config.logging import OncePerInterval

    logger = logging.getLogger("config.cache")
    limits = [f for f in logger.filters if isinstance(f, OncePerInterval)]
    assert limits, "LOGGING must limit the cache outage messages"
    for limit in limits:
        limit.__init__(seconds=limit.seconds)
    caplog.set_level(logging.WARNING, logger="config.cache")

    def records() -> list[logging.LogRecord]:
        return [r for r in caplog.records if r.name == "config.cache"]

    return records


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def own_redis():
    """A Redis server of this test alone, on a free port, which it may stop: (url, stop)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if REQUIRE_SERVICES:
            pytest.fail("redis-server is required (REQUIRE_SERVICES=1) but not installed.")
        pytest.skip("redis-server is not installed")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_until(lambda: _redis_ping(port))

    def stop() -> None:
        process.terminate()
        process.wait(timeout=10)

    yield f"redis://127.0.0.1:{port}/3", stop
    if process.poll() is None:
        stop()


def _redis_ping(port: int) -> bool:
    return (
        subprocess.run(
            ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True, check=False
        ).stdout.strip()
        == "PONG"
    )


def _wait_until(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the condition did not hold in time")
        time.sleep(0.05)


def public_paths() -> list[str]:
    """Home, the challenge list, a challenge, search, the dashboard and an API list."""
    page = challenge_page("271403", title="ため池の水位を見守りたい")
    return [
        "/",
        "/challenges/",
        page.url,
        "/search/?q=ため池",
        "/dashboard/",
        "/api/v1/challenges/",
    ]


def assert_pages_answer(client, paths: list[str]) -> None:
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path


def create_and_publish_solution(client, capture) -> SolutionProfile:
    """A member registers and publishes a solution through the API, after-commit work included."""
    _user, organisation, raw = member_with_token()
    body = {
        "organisation": organisation.pk,
        "title": "水位センサー",
        "summary": "ため池の水位を見守る",
        "fields": ["safety"],
    }
    with capture(execute=True):
        created = client.post(
            "/api/v1/member/solutions/", body, content_type="application/json", **bearer(raw)
        )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    with capture(execute=True):
        published = client.post(f"/api/v1/member/solutions/{pk}/publish/", **bearer(raw))
    assert published.status_code == 200, published.content
    return SolutionProfile.objects.get(pk=pk)


def assert_waits_in_outbox(solution: SolutionProfile) -> None:
    assert solution.is_published
    assert IndexOutbox.objects.filter(
        doc_type="solution", object_id=solution.pk, processed_at__isnull=True
    ).exists()


def test_unreachable_cache_pages_and_api_answer(client, site, redis_at):
    """With CACHE_URL at a closed port every public page and the API list answer 200."""
    redis_at(CLOSED)
    assert_pages_answer(client, public_paths())


def test_unreachable_cache_and_broker_write_succeeds_and_waits_in_outbox(
    client, site, redis_at, django_capture_on_commit_callbacks
):
    """A member's solution is saved and published while cache and broker are down; its index
    change waits in the outbox for the sweep."""
    redis_at(CLOSED)
    solution = create_and_publish_solution(client, django_capture_on_commit_callbacks)
    assert_waits_in_outbox(solution)


def test_unreachable_cache_is_logged_once(client, site, redis_at, outage_log):
    """Many requests against an unreachable cache leave one log record, not one per call."""
    redis_at(CLOSED)
    paths = public_paths()
    for _ in range(3):
        assert_pages_answer(client, paths)
    assert len(outage_log()) == 1


@pytest.mark.redis
def test_redis_stopped_mid_test_pages_and_write_keep_working(
    client, site, redis_at, own_redis, outage_log, django_capture_on_commit_callbacks
):
    """A real Redis serving cache and broker stops: pages, the API and a write still succeed,
    the change waits in the outbox and the outage is logged once."""
    url, stop = own_redis
    redis_at(url)
    paths = public_paths()
    assert_pages_answer(client, paths)
    assert caches["default"].get("wagtail_site_root_paths", version=2) is not None
    assert outage_log() == []

    stop()
    assert_pages_answer(client, paths)
    assert_pages_answer(client, paths)
    solution = create_and_publish_solution(client, django_capture_on_commit_callbacks)
    assert_waits_in_outbox(solution)
    assert len(outage_log()) == 1


def test_cache_url_configures_redis_with_short_timeouts(monkeypatch):
    """CACHE_URL still names the Redis of the default cache, now with short socket timeouts;
    without it the cache stays in process."""
    configured = settings_for(monkeypatch, CACHE_URL="redis://cache.internal:6379/1")["CACHES"]
    assert configured["default"]["LOCATION"] == "redis://cache.internal:6379/1"
    assert configured["default"]["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] <= 1
    monkeypatch.delenv("CACHE_URL")
    assert settings_for(monkeypatch)["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
