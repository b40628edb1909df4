"""Rate limits: anonymous clients per address, token clients per person; 429 in JSON."""

from django.core.cache import cache

import pytest

from forum.api.throttling import AnonymousRateThrottle
from tests.forum.api.helpers import bearer, member_with_token, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_limits(settings):
    """Three requests a minute for each kind of client, counted from zero."""
    settings.API_THROTTLE_RATES = {"anon": "3/min", "token": "3/min"}
    cache.clear()
    yield
    cache.clear()


def test_anonymous_client_beyond_the_limit_gets_429_with_json(client, low_limits):
    """The fourth request within a minute is refused with a wait time, in Japanese."""
    for _ in range(3):
        assert client.get("/api/v1/fields/").status_code == 200
    response = client.get("/api/v1/fields/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    error = response.json()["error"]
    assert error["code"] == "throttled" and "秒後" in error["message"]


def test_addresses_are_counted_apart(client, low_limits):
    """Another client address has its own allowance."""
    for _ in range(3):
        client.get("/api/v1/fields/", REMOTE_ADDR="192.0.2.1")
    assert client.get("/api/v1/fields/", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get("/api/v1/fields/", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_token_limit_counts_per_person_whatever_the_number_of_tokens(client, low_limits):
    """A second token of the same person shares the allowance; another person has their own."""
    user, _organisation, first = member_with_token()
    second = token_for(user, name="二つ目")
    for raw in (first, second, first):
        assert client.get("/api/v1/member/me/", **bearer(raw)).status_code == 200
    assert client.get("/api/v1/member/me/", **bearer(second)).status_code == 429
    _other, _org, other_raw = member_with_token()
    assert client.get("/api/v1/member/me/", **bearer(other_raw)).status_code == 200
    # Token clients are not counted against the anonymous allowance of the same address.
    assert client.get("/api/v1/fields/").status_code == 200


def test_unreachable_rate_limit_cache_lets_requests_through(client, low_limits, monkeypatch):
    """If the cache behind the limits fails, the API still answers instead of failing."""

    class BrokenCache:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache down")

        def set(self, *args, **kwargs):
            raise ConnectionError("cache down")

    monkeypatch.setattr(AnonymousRateThrottle, "cache", BrokenCache())
    for _ in range(5):
        assert client.get("/api/v1/fields/").status_code == 200
