import re

import pytest

from tests.browser import chromium, signed_in_context
from tests.forum.helpers import secretariat_user

PASSWORD = "correct horse battery staple"


def _virtual_authenticator(context, page) -> None:
    """A platform authenticator that keeps passkeys and verifies its holder without asking."""
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_add_a_passkey_pass_the_gate_and_sign_in_with_it(live_server):
    """In Chromium, staff add a passkey on the Japanese page, pass the staff gate with it, and
    later sign in with the passkey alone, reaching the admin."""
    user = secretariat_user(mfa=False)
    with chromium() as browser:
        context = signed_in_context(browser, live_server, user)
        page = context.new_page()
        _virtual_authenticator(context, page)

        page.goto(f"{live_server.url}/admin/")
        assert page.url.endswith("/accounts/2fa/")
        page.click("text=パスキーを追加")
        page.fill("input[name=password]", PASSWORD)
        page.click(".account-form button[type=submit]")
        assert page.locator("h1", has_text="パスキーを追加").is_visible()
        page.check("#id_passwordless")
        page.click("#mfa_webauthn_add")
        page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/"))

        page.goto(f"{live_server.url}/admin/")
        page.wait_for_url(re.compile(r"/accounts/2fa/webauthn/reauthenticate/"))
        page.click("#mfa_webauthn_reauthenticate")
        page.wait_for_url(f"{live_server.url}/admin/")
        page.wait_for_load_state("networkidle")
        assert page.url == f"{live_server.url}/admin/"

        page.goto(f"{live_server.url}/accounts/logout/")
        page.click(".account-form button[type=submit]")
        page.goto(f"{live_server.url}/accounts/login/?next=/admin/")
        page.click("#passkey_login")
        page.wait_for_url(f"{live_server.url}/admin/")
        page.wait_for_load_state("networkidle")
        assert page.url == f"{live_server.url}/admin/"
        context.close()
