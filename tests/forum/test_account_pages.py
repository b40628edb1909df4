from django.urls import reverse

import pytest

from tests.forum.helpers import company_member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    ["account_login", "account_signup", "account_reset_password", "account_reset_password_done"],
)
def test_public_account_pages_render_in_japanese_layout(client, name):
    """Sign-in, sign-up and password reset use the site's layout and Japanese text."""
    response = client.get(reverse(name))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'lang="ja"' in body
    assert "本文へスキップ" in body
    assert "form-control" in body or name == "account_reset_password_done"


@pytest.mark.parametrize("name", ["account_email", "account_change_password", "mfa_index"])
def test_signed_in_account_pages_render(client, name):
    """Email management, password change and the MFA overview work for members."""
    user, _ = company_member()
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "アカウント設定" in response.content.decode()


def test_login_with_wrong_password_explains_in_japanese(client):
    """A failed sign-in shows a Japanese error and no session."""
    user, _ = company_member()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "wrong-password-123"}
    )
    assert response.status_code == 200
    assert "正しくありません" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_up_page_explains_the_steps_to_membership(client):
    """The sign-up page says that an organisation and an approval follow the account; the
    sign-in page does not repeat it."""
    body = client.get(reverse("account_signup")).content.decode()
    assert "会員登録の流れ" in body
    assert "登録済みの団体への参加を申請します" in body
    assert "会員登録の流れ" not in client.get(reverse("account_login")).content.decode()
