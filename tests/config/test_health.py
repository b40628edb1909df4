"""The health endpoint /health/ (config/health.py): each component on its own, and a status
code that follows the database (or, strictly, everything)."""

import pytest

from tests.forum.helpers import municipality_staff

pytestmark = pytest.mark.django_db

CLOSED_REDIS = "redis://127.0.0.1:1/3"


@pytest.fixture
def cache_down(settings):
    """The default cache as CACHE_URL configures it, pointed at a closed port."""
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CLOSED_REDIS,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    yield
    caches["default"].close()


@pytest.fixture
def database_down(monkeypatch):
    """New connections to the database fail: a closed port, or a file that cannot be opened."""
    from django.db import connections

    settings_dict = connections["default"].settings_dict
    if connections["default"].vendor == "sqlite":
        monkeypatch.setitem(settings_dict, "NAME", "/nonexistent/directory/forum.sqlite3")
    else:
        monkeypatch.setitem(settings_dict, "HOST", "127.0.0.1")
        monkeypatch.setitem(settings_dict, "PORT", "1")


def components(response) -> dict:
    return response.json()["components"]


def test_everything_up_answers_200_with_each_component(client):
    """With every component reachable, each is reported ok with a detail and its latency."""
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["components"]) == {"database", "cache", "broker", "search"}
    for state in body["components"].values():
        assert state["status"] == "ok"
        assert state["detail"]
        assert state["latency_ms"] >= 0


def test_cache_down_is_reported_alone_and_site_stays_healthy(client, cache_down):
    """An unreachable cache is its own error; the site can serve, so the answer stays 200."""
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert components(response)["cache"]["status"] == "error"
    assert "redis" in components(response)["cache"]["detail"]
    assert {name for name, s in components(response).items() if s["status"] == "ok"} == {
        "database",
        "broker",
        "search",
    }


def test_strict_check_fails_on_any_component(client, cache_down):
    """?strict=1 answers 503 when any component, here the cache, fails."""
    assert client.get("/health/?strict=1").status_code == 503


def test_database_down_answers_503_with_the_database_named(client, database_down):
    """Without the database the site cannot serve: 503, the database reported as the error."""
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert components(response)["database"]["status"] == "error"
    assert components(response)["cache"]["status"] == "ok"


def test_health_is_never_cached_and_skips_sign_in_hosts_and_mfa(client):
    """Probes call by address and staff without a second factor are not sent to set one up;
    the answer is marked never to be cached."""
    client.force_login(municipality_staff(mfa=False))
    response = client.get("/health/", HTTP_HOST="10.0.0.12:8000")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_search_cluster_down_is_reported_through_the_backend(client, settings):
    """With Elasticsearch configured but unreachable, search is the one failing component."""
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    response = client.get("/health/")
    assert response.status_code == 200
    assert components(response)["search"]["status"] == "error"
    assert components(response)["database"]["status"] == "ok"
