from urllib.parse import quote

from django.urls import reverse

import pytest

from forum.models import Organisation
from tests.forum.helpers import company_member, municipality_staff, secretariat_user, totp_code

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "make_staff", [secretariat_user, municipality_staff], ids=["secretariat", "municipality"]
)
@pytest.mark.parametrize(
    "path", ["/member/", "/admin/", "/", "/media/images/photo.width-960.png", "/documents/1/a.pdf"]
)
def test_staff_without_authenticator_is_sent_to_setup(client, make_staff, path):
    """Staff roles cannot use the site or the admin until they add an app or a passkey."""
    client.force_login(make_staff(mfa=False))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")


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
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


def test_admin_login_goes_through_allauth(client):
    """The admin's sign-in is the site's allauth login, so the second factor cannot be skipped."""
    response = client.get("/admin/pages/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"{reverse('account_login')}?next=/admin/pages/"


def test_signed_in_member_is_refused_by_the_admin_not_sent_round(client):
    """A member without admin access gets a refusal, not a loop between the admin and sign-in."""
    user, _ = company_member()
    client.force_login(user)
    assert client.get("/admin/", follow=True).status_code == 403
    assert client.get("/django-admin/", follow=True).status_code == 403
    assert client.get("/_util/login/?next=/news/").status_code == 403


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


# Every way a password can be given, and every staff screen: a password alone reaches none.

PASSWORD = "correct horse battery staple"
SECRETARIAT_AREAS = ["/admin/", "/django-admin/", "/member/dashboard/"]
MUNICIPALITY_AREAS = ["/admin/", "/member/review/"]


@pytest.fixture
def code_window(settings):
    """A code of the neighbouring 30 s window is accepted too, so a test that straddles two
    windows still signs in."""
    settings.MFA_TOTP_TOLERANCE = 1


def _secretariat():
    """The secretariat's administrator, a superuser as in the demo, so the Django admin too."""
    user = secretariat_user()
    user.is_superuser = user.is_staff = True
    user.save(update_fields=["is_superuser", "is_staff"])
    return user


STAFF = [
    pytest.param(_secretariat, SECRETARIAT_AREAS, id="secretariat"),
    pytest.param(municipality_staff, MUNICIPALITY_AREAS, id="municipality"),
]


def _allauth(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def _admin_form(path):
    def sign_in(client, user):
        return client.post(path, {"username": user.username, "password": PASSWORD})

    return sign_in


def _client_login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def _force_login(client, user):
    client.force_login(user, mfa=False)


PASSWORD_ONLY = [
    pytest.param(_allauth, id="allauth"),
    pytest.param(_admin_form("/admin/login/"), id="wagtail-admin-login"),
    pytest.param(_admin_form("/django-admin/login/"), id="django-admin-login"),
    pytest.param(_admin_form("/_util/login/"), id="wagtail-page-login"),
    pytest.param(_client_login, id="client-login"),
    pytest.param(_force_login, id="force-login"),
]


@pytest.mark.usefixtures("code_window")
@pytest.mark.parametrize("make_staff,areas", STAFF)
@pytest.mark.parametrize("sign_in", PASSWORD_ONLY)
def test_password_alone_reaches_no_staff_screen(client, make_staff, areas, sign_in):
    """Whichever form or helper takes the password, staff without the second factor are sent
    to sign in or to the code, never into an admin or a staff page."""
    user = make_staff()
    sign_in(client, user)
    for path in areas:
        response = client.get(path, follow=True)
        assert response.redirect_chain, path
        assert response.request["PATH_INFO"] in {
            reverse("account_login"),
            reverse("mfa_authenticate"),
            reverse("mfa_reauthenticate"),
        }, (path, response.redirect_chain)


@pytest.mark.usefixtures("code_window")
@pytest.mark.parametrize("make_staff,areas", STAFF)
def test_password_and_code_through_allauth_reach_every_staff_screen(client, make_staff, areas):
    """Signing in with the password and the authenticator code opens every screen of the role."""
    user = make_staff()
    response = _allauth(client, user)
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(user)})
    assert response.status_code == 302
    for path in areas:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize(
    "login_path,next_path",
    [
        ("/admin/login/", "/admin/"),
        ("/django-admin/login/", "/django-admin/"),
        ("/_util/login/", "/"),
    ],
)
def test_other_login_pages_send_to_the_site_sign_in(client, login_path, next_path):
    """Wagtail's and Django's login pages lead to allauth's, keeping where to go next."""
    response = client.get(login_path)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={quote(next_path)}"
    response = client.get(f"{login_path}?next=/admin/pages/")
    assert response["Location"] == f"{reverse('account_login')}?next={quote('/admin/pages/')}"


def test_login_page_refuses_a_next_to_another_site(client):
    """A next address on another host is dropped for the area's own home."""
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == f"{reverse('account_login')}?next={quote('/admin/')}"


@pytest.mark.usefixtures("code_window")
def test_password_session_passes_the_code_step_then_reaches_the_page(client):
    """A session that only gave a password is asked for the code and then goes on."""
    user = _secretariat()
    _client_login(client, user)
    response = client.get("/member/dashboard/")
    step = f"{reverse('mfa_reauthenticate')}?next={quote('/member/dashboard/')}"
    assert response["Location"] == step
    assert client.get(step).status_code == 200
    response = client.post(
        reverse("mfa_reauthenticate"), {"code": totp_code(user), "next": "/member/dashboard/"}
    )
    assert response["Location"] == "/member/dashboard/"
    assert client.get("/member/dashboard/").status_code == 200
    assert client.get("/admin/").status_code == 200


@pytest.mark.usefixtures("code_window")
def test_password_session_cannot_change_the_second_factor(client):
    """Before the code, staff may sign out but not add a passkey or change account settings."""
    user = _secretariat()
    _client_login(client, user)
    for name in ["mfa_index", "mfa_deactivate_totp", "account_email", "account_reauthenticate"]:
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("mfa_reauthenticate")), name
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_member_with_password_only_is_not_asked_for_a_code(client):
    """Company members sign in with a password alone and use the member area."""
    user, _ = company_member()
    _client_login(client, user)
    assert client.get("/member/").status_code == 200
    assert client.get(reverse("account_email")).status_code == 200


def test_municipality_staff_are_refused_by_the_django_admin(client):
    """The Django admin is for superusers: municipality staff get a refusal, not a loop."""
    client.force_login(municipality_staff())
    response = client.get("/django-admin/", follow=True)
    assert response.status_code == 403


def test_wagtail_admin_logout_signs_out(client):
    """The admin's own sign-out ends the session."""
    client.force_login(secretariat_user())
    assert client.get("/admin/").status_code == 200
    response = client.post(reverse("wagtailadmin_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    response = client.get("/admin/", follow=True)
    assert response.request["PATH_INFO"] == reverse("account_login")
