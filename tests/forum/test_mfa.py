from django.urls import reverse

import pytest

from forum.models import Organisation
from tests.forum.helpers import company_member, municipality_staff, secretariat_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "make_staff", [secretariat_user, municipality_staff], ids=["secretariat", "municipality"]
)
@pytest.mark.parametrize(
    "path", ["/member/", "/admin/", "/", "/media/images/photo.width-960.png", "/documents/1/a.pdf"]
)
def test_staff_without_authenticator_is_sent_to_setup(client, make_staff, path):
    """Staff roles cannot use the site or the admin until they activate TOTP."""
    client.force_login(make_staff(mfa=False))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_setup_page_itself_stays_reachable(client):
    """The TOTP set-up page, sign-out and account pages work for staff without a second factor."""
    client.force_login(secretariat_user(mfa=False))
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.status_code == 200
    # allauth asks for the password again before showing the set-up; no redirect loop.
    assert response.redirect_chain[-1][0].startswith("/accounts/")
    assert client.get(reverse("account_email")).status_code == 200


def test_staff_with_authenticator_reaches_admin(client):
    """Once TOTP is active the secretariat reaches the Wagtail admin and the review list."""
    client.force_login(secretariat_user())
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("forum_organisation:index")).status_code == 200


def test_member_of_company_is_not_forced_into_mfa(client):
    """Company members may use MFA but are not required to."""
    user, _ = company_member()
    client.force_login(user)
    assert client.get("/member/").status_code == 200


def test_member_of_pending_municipality_is_not_staff(client):
    """An unapproved municipality organisation gives no staff role, so no MFA demand and no admin."""
    user, organisation = company_member(status=Organisation.Status.PENDING)
    client.force_login(user)
    assert client.get("/member/").status_code == 200
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or response["Location"] == "/"


def test_admin_login_goes_through_allauth(client):
    """The admin's sign-in is the site's allauth login, so the second factor cannot be skipped."""
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_password_login_of_staff_asks_for_the_code(client):
    """A staff member with TOTP who signs in with a password is asked for the authenticator code."""
    from django.contrib.auth import get_user_model

    user = secretariat_user()
    user.set_password("a-long-password-for-tests-2026")
    user.save()
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": "a-long-password-for-tests-2026"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.filter(pk=user.pk).exists()
