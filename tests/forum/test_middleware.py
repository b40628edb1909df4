import pytest

pytestmark = pytest.mark.django_db


def test_browser_language_does_not_switch_to_english(client):
    """A browser asking for English still gets Japanese until the person switches."""
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "ja"
    assert "ログイン" in response.content.decode()


def test_language_switch_shows_english(client):
    """Choosing English with the switcher renders the site's strings in English."""
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    response = client.get("/accounts/login/")
    assert response["Content-Language"] == "en"
    assert "Skip to main content" in response.content.decode()


def test_unknown_language_cookie_falls_back_to_japanese(client, settings):
    """A tampered language cookie is ignored."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    response = client.get("/accounts/login/")
    assert response["Content-Language"] == "ja"


def test_staff_without_second_factor_is_anonymous_to_the_api(client):
    """The API ignores sessions: staff still setting up TOTP get JSON, never their powers."""
    from tests.forum.helpers import secretariat_user

    client.force_login(secretariat_user(mfa=False))
    assert client.get("/member/").status_code == 302
    response = client.get("/api/v1/fields/")
    assert response.status_code == 200 and response.json()["count"] == 7
    assert client.get("/api/v1/member/proposals/").status_code == 401
