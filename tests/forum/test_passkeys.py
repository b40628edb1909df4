from django.test import Client
from django.urls import reverse

import pytest
from allauth.mfa.models import Authenticator

from tests.forum.helpers import secretariat_user
from tests.forum.passkeys import SoftPasskey, page_js_data

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def _add_passkey(client, passkey: SoftPasskey) -> None:
    """Add the passkey through allauth's pages, confirming the password first as they ask."""
    response = client.get(reverse("mfa_add_webauthn"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_add_webauthn"))
    assert response.status_code == 200
    credential = passkey.create(page_js_data(response)["creation_options"])
    response = client.post(
        reverse("mfa_add_webauthn"), {"name": "ノートPC", "credential": credential}
    )
    assert response.status_code == 302


@pytest.fixture
def staff_with_passkey(client):
    """A secretariat member whose only second factor is a passkey they added themselves."""
    user = secretariat_user(mfa=False)
    passkey = SoftPasskey()
    client.force_login(user)
    _add_passkey(client, passkey)
    assert set(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == {
        Authenticator.Type.WEBAUTHN,
        Authenticator.Type.RECOVERY_CODES,
    }
    client.logout()
    return user, passkey


def test_staff_with_only_a_passkey_passes_the_gate_with_it(client):
    """A passkey is a second factor: once it is used, staff reach the admin without TOTP."""
    client.force_login(secretariat_user(mfa=False))
    passkey = SoftPasskey()
    _add_passkey(client, passkey)
    response = client.get("/admin/")
    step = reverse("mfa_reauthenticate_webauthn")
    assert response["Location"] == f"{step}?next=/admin/"
    options = page_js_data(client.get(response["Location"]))["request_options"]
    response = client.post(step, {"credential": passkey.get(options), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/member/dashboard/").status_code == 200


def test_password_and_passkey_through_allauth_reach_staff_screens(staff_with_passkey):
    """Signing in with the password and then the passkey opens the admin and the dashboard."""
    user, passkey = staff_with_passkey
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    options = page_js_data(client.get(reverse("mfa_authenticate")))["request_options"]
    response = client.post(reverse("mfa_authenticate"), {"credential": passkey.get(options)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/member/dashboard/").status_code == 200


def test_passkey_alone_signs_staff_in(staff_with_passkey):
    """A passkey that verified its holder signs in on its own and counts as the second factor."""
    user, passkey = staff_with_passkey
    client = Client()
    response = client.get(reverse("mfa_login_webauthn"), HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    options = response.json()["request_options"]
    response = client.post(reverse("mfa_login_webauthn"), {"credential": passkey.get(options)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/admin/").status_code == 200


def test_passkey_answer_for_another_site_is_refused(staff_with_passkey):
    """An assertion made for another origin (a phishing page) does not pass the second factor."""
    user, passkey = staff_with_passkey
    passkey.origin = "https://forum.example.net"
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    options = page_js_data(client.get(reverse("mfa_authenticate")))["request_options"]
    client.post(reverse("mfa_authenticate"), {"credential": passkey.get(options)})
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_passkey_pages_speak_japanese_to_staff(client):
    """The two-factor overview and the add-a-passkey page are in Japanese."""
    client.force_login(secretariat_user(mfa=False))
    body = client.get(reverse("mfa_index")).content.decode()
    assert "パスキー" in body
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    body = client.get(reverse("mfa_add_webauthn")).content.decode()
    assert "パスキーを追加" in body
    assert "名前" in body and "パスワードなしのログインにも使う" in body
    assert "Passwordless" not in body
