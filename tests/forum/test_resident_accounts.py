"""Resident accounts: sign-up as a resident, LINE Login, and the areas residents never reach."""

import json
import re
from unittest import mock

from django.core import mail
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import pytest
import requests
from allauth.socialaccount.models import SocialAccount

from forum.models import AuditEvent, Municipality, ResidentProfile
from forum.selectors.residents import resident_label, user_is_resident
from tests.factories import UserFactory
from tests.forum.helpers import company_member, municipality_staff, secretariat_user
from tests.forum.resident_fixtures import resident_of

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-for-tests-2026"
LINE = {
    "line": {
        "SCOPE": ["profile", "openid", "email"],
        "APPS": [{"client_id": "1650000000", "secret": "line-channel-secret"}],
    }
}


def _municipality() -> Municipality:
    return Municipality.objects.get(name="豊中市")


def _confirm(client) -> str:
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[-1].body)
    path = "/" + link.group(0).split("://", 1)[1].split("/", 1)[1]
    return client.post(path)["Location"]


def test_signup_as_resident_registers_municipality_and_lands_on_resident_page(client):
    """Choosing 住民として登録 makes a resident of the chosen municipality, with no organisation,
    who lands on their own page once the email is verified."""
    response = client.post(
        reverse("account_signup"),
        {
            "email": "kenji@example.jp",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": "resident",
            "municipality": _municipality().pk,
        },
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    profile = ResidentProfile.objects.get(user__email="kenji@example.jp")
    assert profile.municipality == _municipality()
    assert not profile.user.memberships.exists()
    assert AuditEvent.objects.filter(verb="resident.registered", target_id=profile.pk).exists()
    assert _confirm(client) == reverse("residents:home")
    page = client.get(reverse("residents:home")).content.decode()
    assert "豊中市の住民" in page


def test_signup_as_resident_without_municipality_is_refused_with_message(client):
    """A resident must say where they live; nothing is created without it."""
    response = client.post(
        reverse("account_signup"),
        {
            "email": "nomun@example.jp",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": "resident",
        },
    )
    assert response.status_code == 200
    assert "お住まいの市町村を選んでください" in response.content.decode()
    assert not ResidentProfile.objects.exists()


def test_signup_page_offers_resident_choice(client):
    """The sign-up form shows the two kinds of account and the municipality list."""
    page = client.get(reverse("account_signup")).content.decode()
    assert "住民として登録" in page
    assert "お住まいの市町村" in page


def test_resident_is_never_named_in_public():
    """A resident is shown by municipality only."""
    assert resident_label(_municipality()) == "豊中市の住民"


def test_line_button_only_when_configured(client, settings):
    """Without a LINE channel the sign-in page has no LINE button; with one it has."""
    settings.SOCIALACCOUNT_PROVIDERS = {"line": {"APPS": []}}
    assert "/accounts/line/login/" not in client.get(reverse("account_login")).content.decode()
    settings.SOCIALACCOUNT_PROVIDERS = LINE
    assert "/accounts/line/login/" in client.get(reverse("account_login")).content.decode()


def _mocked_line(profile: dict):
    """LINE's token and ID-token verification endpoints answering like LINE does."""

    def _response(payload):
        response = requests.Response()
        response.status_code = 200
        response.headers["Content-Type"] = "application/json"
        response._content = json.dumps(payload).encode()
        return response

    def request(method, url, *args, **kwargs):
        if url.endswith("/oauth2/v2.1/token"):
            return _response(
                {
                    "access_token": "line-access-token",
                    "expires_in": 2592000,
                    "id_token": "line-id-token",
                    "refresh_token": "line-refresh",
                    "scope": "profile openid email",
                    "token_type": "Bearer",
                }
            )
        if url.endswith("/oauth2/v2.1/verify"):
            return _response(profile)
        raise AssertionError(f"unexpected request to {url}")

    return mock.patch("requests.Session.request", side_effect=request)


def _line_callback(client) -> object:
    response = client.post(reverse("line_login"))
    assert response.status_code == 302
    assert response["Location"].startswith("https://access.line.me/oauth2/v2.1/authorize")
    state = re.search(r"state=([^&]+)", response["Location"]).group(1)
    return client.get(reverse("line_callback"), {"code": "line-code", "state": state})


@override_settings(SOCIALACCOUNT_PROVIDERS=LINE)
def test_line_signup_as_resident_then_verify_email(client):
    """LINE Login (mocked token and profile): the person chooses resident and municipality,
    the LINE account is linked and the email must still be verified."""
    profile = {"sub": "U4af4980629", "name": "山田 花子", "email": "hanako@example.jp"}
    with _mocked_line(profile):
        response = _line_callback(client)
    assert response["Location"] == reverse("socialaccount_signup")
    form = client.get(reverse("socialaccount_signup")).content.decode()
    assert "住民として登録" in form
    response = client.post(
        reverse("socialaccount_signup"),
        {"email": "hanako@example.jp", "role": "resident", "municipality": _municipality().pk},
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    account = SocialAccount.objects.get(provider="line", uid="U4af4980629")
    assert user_is_resident(account.user)
    assert account.user.resident_profile.municipality == _municipality()
    assert _confirm(client) == reverse("residents:home")


@override_settings(SOCIALACCOUNT_PROVIDERS=LINE)
def test_member_links_line_from_account_page(client):
    """A member connects LINE from the account pages and can then sign in with it."""
    user, _organisation = company_member()
    client.force_login(user)
    page = client.get(reverse("socialaccount_connections")).content.decode()
    assert "/accounts/line/login/" in page
    response = client.post(reverse("line_login"), {"process": "connect"})
    state = re.search(r"state=([^&]+)", response["Location"]).group(1)
    with _mocked_line({"sub": "Umember01", "name": "会員"}):
        client.get(reverse("line_callback"), {"code": "line-code", "state": state})
    assert SocialAccount.objects.filter(user=user, provider="line", uid="Umember01").exists()
    assert not user_is_resident(user)


def _forum_paths():
    """Every route of the member area (and matching's pages under it) with sample arguments."""
    samples = {"pk": 1, "challenge_id": 1, "attachment_id": 1, "document_id": 1}
    samples.update({"milestone_id": 1, "invitation_id": 1, "request_id": 1, "action": "x"})
    samples.update({"decision": "x", "token": "x", "key": "x", "stage": "x", "id": 1})
    paths = []

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                kwargs = {k: samples.get(k, 1) for k in entry.pattern.regex.groupindex}
                try:
                    path = reverse(name, kwargs=kwargs)
                except Exception:  # noqa: BLE001 - a converter that refuses the sample
                    continue
                if path.startswith("/member/"):
                    paths.append((name, path))

    walk(get_resolver().url_patterns, "")
    return sorted(set(paths))


OPEN_TO_RESIDENTS = {
    "forum:notifications",
    "forum:notifications_mark_read",
    "forum:notification_settings",
    "forum:challenge_follow",
    "forum:project_follow",
    "forum:member_home",
}


@pytest.mark.parametrize(
    ("name", "path"), [(n, p) for n, p in _forum_paths() if n not in OPEN_TO_RESIDENTS]
)
def test_resident_refused_in_member_and_staff_areas(client, name, path):
    """Every page of the member area but notices and following refuses a resident (403),
    by GET and by POST."""
    client.force_login(resident_of(_municipality()))
    assert client.get(path).status_code == 403
    assert client.post(path).status_code == 403


def test_member_routes_are_all_checked():
    """The table above covers the member area, the staff's pages and matching's pages."""
    names = {name for name, _path in _forum_paths()}
    assert {"forum:proposal_list", "forum:dashboard", "forum:need_queue"} <= names
    assert {"forum:review_list", "forum:api_tokens", "forum:organisation_apply"} <= names
    assert any(name.startswith("matching:") for name in names)
    assert "need_challenge" in names


def test_resident_member_home_sends_to_resident_page(client):
    """The マイページ link takes a resident to their own page."""
    client.force_login(resident_of(_municipality()))
    response = client.get(reverse("forum:member_home"))
    assert response["Location"] == reverse("residents:home")


@pytest.mark.parametrize("path", ["/admin/", "/django-admin/"])
def test_resident_refused_in_admin(client, path):
    """The CMS admin and the Django admin never open for a resident."""
    client.force_login(resident_of(_municipality()))
    response = client.get(path)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "login" in response["Location"]


def test_resident_page_refuses_members_and_staff(client):
    """The residents' own page is theirs: members, municipality staff and the secretariat
    are refused."""
    for user in (company_member()[0], municipality_staff(), secretariat_user(), UserFactory()):
        client.force_login(user)
        assert client.get(reverse("residents:home")).status_code == 403


def test_notices_stay_open_to_residents(client):
    """Residents read their notices and settings like members."""
    client.force_login(resident_of(_municipality()))
    assert client.get(reverse("forum:notifications")).status_code == 200
    assert client.get(reverse("forum:notification_settings")).status_code == 200
