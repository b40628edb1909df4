"""Personal tokens at the API's door: valid, revoked, expired, unknown or malformed."""

from datetime import timedelta

from django.utils import timezone

import pytest

from forum.models import PersonalAPIToken
from forum.models.api import api_token_hash
from forum.services.api_tokens import api_token_revoke
from tests.forum.api.helpers import bearer, member_with_token

pytestmark = pytest.mark.django_db


def _unauthorised(response) -> str:
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    return response.json()["error"]["message"]


def test_valid_token_authenticates_and_records_its_last_use(client):
    """The member endpoints answer, and the token's last-used time is set (at most once a minute)."""
    user, _organisation, raw = member_with_token()
    token = PersonalAPIToken.objects.get(user=user)
    assert token.last_used_at is None
    assert client.get("/api/v1/member/me/", **bearer(raw)).status_code == 200
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    client.get("/api/v1/member/me/", **bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == first_use
    PersonalAPIToken.objects.filter(pk=token.pk).update(
        last_used_at=timezone.now() - timedelta(minutes=5)
    )
    before = timezone.now()
    client.get("/api/v1/member/me/", **bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at >= before


def test_only_the_hash_of_a_token_is_stored(client):
    """The secret itself is nowhere in the row; its SHA-256 is."""
    user, _organisation, raw = member_with_token()
    token = PersonalAPIToken.objects.get(user=user)
    assert token.key_hash == api_token_hash(raw)
    row = PersonalAPIToken.objects.filter(pk=token.pk).values().get()
    assert raw not in {str(value) for value in row.values()}
    assert raw.startswith(token.prefix)


def test_revoked_token_gets_401_even_on_open_data(client):
    """A revoked token is refused everywhere with a Japanese message, public lists included."""
    user, _organisation, raw = member_with_token()
    api_token_revoke(actor=user, token=PersonalAPIToken.objects.get(user=user))
    assert "取り消されています" in _unauthorised(client.get("/api/v1/member/me/", **bearer(raw)))
    assert "取り消されています" in _unauthorised(client.get("/api/v1/challenges/", **bearer(raw)))


def test_expired_token_gets_401(client):
    """After its expiry date a token is refused."""
    user, _organisation, raw = member_with_token()
    PersonalAPIToken.objects.filter(user=user).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert "有効期限" in _unauthorised(client.get("/api/v1/member/me/", **bearer(raw)))


def test_token_of_a_deactivated_account_gets_401(client):
    """Deactivating the person stops their tokens."""
    user, _organisation, raw = member_with_token()
    user.is_active = False
    user.save()
    _unauthorised(client.get("/api/v1/member/me/", **bearer(raw)))


@pytest.mark.parametrize(
    "header",
    [
        "Bearer oscpf_not-a-real-token",
        "Bearer something-else",
        "Bearer",
        "Bearer a b",
        "bearer oscpf_" + "x" * 300,
    ],
)
def test_unknown_or_malformed_tokens_get_401_json(client, header):
    """Whatever is wrong with the header, the answer is a JSON 401, never a server error."""
    message = _unauthorised(client.get("/api/v1/member/solutions/", HTTP_AUTHORIZATION=header))
    assert message


def test_other_authorization_schemes_are_anonymous(client):
    """A Basic header is not a token: open data answers, member endpoints ask for a token."""
    assert client.get("/api/v1/fields/", HTTP_AUTHORIZATION="Basic dXNlcjpwdw==").status_code == 200
    _unauthorised(client.get("/api/v1/member/me/", HTTP_AUTHORIZATION="Basic dXNlcjpwdw=="))
