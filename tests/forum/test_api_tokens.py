"""Personal API tokens in the member area: shown once, own tokens only, revocable."""

from django.urls import reverse

import pytest

from forum.models import AuditEvent, Notification, PersonalAPIToken
from forum.services.api_tokens import MAX_ACTIVE_TOKENS, api_token_create, api_token_revoke
from forum.services.errors import PermissionDenied, ServiceError
from tests.forum.api.helpers import bearer
from tests.forum.helpers import company_member, municipality_staff

pytestmark = pytest.mark.django_db


def test_created_token_is_shown_once_and_works(client):
    """The page shows the secret right after creation, never again; the API accepts it."""
    user, _organisation = company_member()
    client.force_login(user)
    response = client.post(
        reverse("forum:api_tokens"), {"name": "基幹システム連携", "expires_in_days": "30"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    raw = response.context["created"]["raw"]
    assert raw in response.content.decode()
    token = PersonalAPIToken.objects.get(user=user)
    assert token.name == "基幹システム連携" and token.expires_at is not None
    later = client.get(reverse("forum:api_tokens")).content.decode()
    assert "基幹システム連携" in later and raw not in later and token.prefix in later
    assert client.get("/api/v1/member/me/", **bearer(raw)).status_code == 200


def test_creation_is_audited_and_the_owner_notified(client):
    """A new token leaves a history row and a notice, so a stranger's token would be noticed."""
    user, _organisation = company_member()
    token, _raw = api_token_create(actor=user, name="連携")
    assert AuditEvent.objects.filter(verb="api_token.created", target_id=token.pk).exists()
    assert Notification.objects.filter(recipient=user, verb="api_token.created").exists()


def test_member_sees_and_revokes_only_their_own_tokens(client):
    """Another person's token is not listed, and revoking it is 404 and changes nothing."""
    owner, _organisation = company_member()
    token, raw = api_token_create(actor=owner, name="持ち主のトークン")
    other, _other_org = company_member()
    client.force_login(other)
    assert "持ち主のトークン" not in client.get(reverse("forum:api_tokens")).content.decode()
    assert client.post(reverse("forum:api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=other, token=token)
    client.force_login(owner)
    response = client.post(reverse("forum:api_token_revoke", args=[token.pk]), follow=True)
    assert "取り消しました" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/member/me/", **bearer(raw)).status_code == 401
    assert api_token_revoke(actor=owner, token=token) is False


def test_people_without_a_member_organisation_cannot_create_tokens(client):
    """Municipality staff (and people of pending organisations) get an explanation, no token."""
    staff = municipality_staff()
    client.force_login(staff)
    page = client.get(reverse("forum:api_tokens")).content.decode()
    assert "会員団体に所属すると作成できます" in page
    response = client.post(reverse("forum:api_tokens"), {"name": "t", "expires_in_days": ""})
    assert "承認済みの企業・大学など" in response.content.decode()
    pending_user, _pending = company_member(status="pending")
    with pytest.raises(PermissionDenied):
        api_token_create(actor=pending_user, name="t")
    assert not PersonalAPIToken.objects.exists()


def test_bad_token_form_input_keeps_the_page_and_creates_nothing(client):
    """A missing name or an unknown expiry gets a Japanese message on the form."""
    user, _organisation = company_member()
    client.force_login(user)
    response = client.post(reverse("forum:api_tokens"), {"name": "", "expires_in_days": "90"})
    assert "入力内容を確認してください" in response.content.decode()
    response = client.post(reverse("forum:api_tokens"), {"name": "t", "expires_in_days": "7"})
    assert response.status_code == 200 and not PersonalAPIToken.objects.exists()
    with pytest.raises(ServiceError):
        api_token_create(actor=user, name="t", expires_in_days=7)


def test_active_tokens_are_limited_per_person(client):
    """Beyond the limit, a new token needs an old one revoked first."""
    user, _organisation = company_member()
    tokens = [api_token_create(actor=user, name=f"t{n}")[0] for n in range(MAX_ACTIVE_TOKENS)]
    with pytest.raises(ServiceError, match="件まで"):
        api_token_create(actor=user, name="もう一つ")
    api_token_revoke(actor=user, token=tokens[0])
    assert api_token_create(actor=user, name="もう一つ")[0].pk


def test_member_home_links_to_the_token_page(client):
    """People find the token page from the account section of their page."""
    user, _organisation = company_member()
    client.force_login(user)
    assert reverse("forum:api_tokens") in client.get(reverse("forum:member_home")).content.decode()
