"""Sign-in, sign-up and email limits (ACCOUNT_RATE_LIMITS with forum.adapters): a stranger's
failures never lock the owner out, and nobody can use the forum to mail strangers."""

import time
from types import SimpleNamespace
from uuid import uuid4

from django.core import mail
from django.test import Client
from django.urls import reverse

import pytest
from allauth.core.internal import ratelimit

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ATTACKER, OWNER_HOME = "203.0.113.9", "198.51.100.7"


@pytest.fixture
def clock(monkeypatch):
    """The rate limits' clock, moved by hand: `clock.advance(seconds)`."""
    now = [time.time()]
    fake = SimpleNamespace(
        time=lambda: now[0], monotonic=time.monotonic, sleep=time.sleep, advance=None
    )

    def advance(seconds: float) -> None:
        now[0] += seconds

    fake.advance = advance
    monkeypatch.setattr(ratelimit, "time", fake)
    return fake


def _sign_in(email: str, password: str, address: str, *, client: Client | None = None):
    return (client or Client()).post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )


def _sign_up(email: str, address: str):
    return Client().post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD + "!", "password2": PASSWORD + "!"},
        REMOTE_ADDR=address,
    )


def test_stranger_failing_at_an_account_does_not_lock_the_owner_out():
    """Ten wrong passwords from another address leave the owner free to sign in from theirs."""
    owner = UserFactory()
    for _attempt in range(10):
        _sign_in(owner.email, "wrong-password-123", ATTACKER)
    client = Client()
    response = _sign_in(owner.email, PASSWORD, OWNER_HOME, client=client)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_repeated_failures_at_one_account_refuse_that_address_with_a_clear_message():
    """After five failures at one account from one address, even the right password is refused
    there for a while, with a message saying so in Japanese."""
    owner = UserFactory()
    for _attempt in range(5):
        response = _sign_in(owner.email, "wrong-password-123", ATTACKER)
        assert "お使いのネットワークからのログインを一時的に止めています" not in response.text
    client = Client()
    response = _sign_in(owner.email, PASSWORD, ATTACKER, client=client)
    assert response.status_code == 200
    assert "お使いのネットワークからのログインを一時的に止めています" in response.text
    assert "_auth_user_id" not in client.session


def test_refusal_message_is_in_english_for_english_visitors():
    """A visitor who chose English reads the refusal in English."""
    owner = UserFactory()
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for _attempt in range(6):
        response = _sign_in(owner.email, "wrong-password-123", ATTACKER, client=client)
    assert "Too many failed sign-in attempts from your network" in response.text


def test_failures_over_many_accounts_from_one_address_are_limited():
    """One address failing once at each of twenty accounts is refused at the next account."""
    for _user in range(20):
        _sign_in(UserFactory().email, "wrong-password-123", ATTACKER)
    other = UserFactory()
    client = Client()
    response = _sign_in(other.email, PASSWORD, ATTACKER, client=client)
    assert "お使いのネットワークからのログインを一時的に止めています" in response.text
    assert "_auth_user_id" not in client.session
    assert _sign_in(other.email, PASSWORD, OWNER_HOME).status_code == 302


@pytest.mark.redis
def test_limits_count_in_a_shared_redis_cache(settings, redis_url):
    """With Redis as the default cache, as in production, failures count per address and
    account across requests just the same."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            # Keys of this run only (they expire with their limits); nothing is flushed.
            "KEY_PREFIX": f"test-{uuid4().hex}",
        }
    }
    owner = UserFactory()
    for _attempt in range(5):
        _sign_in(owner.email, "wrong-password-123", ATTACKER)
    response = _sign_in(owner.email, PASSWORD, ATTACKER)
    assert "お使いのネットワークからのログインを一時的に止めています" in response.text
    assert _sign_in(owner.email, PASSWORD, OWNER_HOME).status_code == 302


def test_sign_ups_from_one_address_beyond_the_rate_are_refused_without_mail():
    """The eleventh sign-up within an hour from one address answers 429 and sends nothing."""
    for number in range(10):
        assert _sign_up(f"new{number}@example.jp", ATTACKER).status_code == 302
    assert len(mail.outbox) == 10
    response = _sign_up("stranger@example.jp", ATTACKER)
    assert response.status_code == 429
    assert "しばらくしてからお試しください" in response.text
    assert len(mail.outbox) == 10
    assert _sign_up("colleague@example.jp", OWNER_HOME).status_code == 302


def test_one_address_receives_few_confirmation_emails_whoever_asks(clock):
    """Sign-ups naming the same address from many senders, minutes apart, mail it five times an
    hour at most."""
    for sender in range(8):
        _sign_up("victim@example.jp", f"192.0.2.{sender + 1}")
        clock.advance(4 * 60)
    assert [message.to for message in mail.outbox] == [["victim@example.jp"]] * 5


def test_one_sender_triggers_few_password_reset_emails_to_an_address(clock):
    """Password resets for one address are mailed three times an hour at most."""
    owner = UserFactory()
    statuses = []
    for sender in range(5):
        response = Client().post(
            reverse("account_reset_password"),
            {"email": owner.email},
            REMOTE_ADDR=f"192.0.2.{sender + 1}",
        )
        statuses.append(response.status_code)
        clock.advance(4 * 60)
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
