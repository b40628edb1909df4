from forum.checks import check_forum_settings


def test_insecure_passkey_origin_outside_debug_is_an_error(settings):
    """Passkeys from any origin are refused as a setting anywhere but the development server."""
    settings.DEBUG = False
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    assert "forum.E003" in {problem.id for problem in check_forum_settings(None)}
    settings.DEBUG = True
    assert "forum.E003" not in {problem.id for problem in check_forum_settings(None)}
