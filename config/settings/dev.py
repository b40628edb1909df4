"""The embedded default for a developer's machine: SQLite, in-process tasks, console mail."""

from config.settings.base import *  # noqa: F403
from config.settings.env import env_list, env_str

DEBUG = True
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-secret-do-not-use-in-production")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Lets the printed demo logins pass the two-factor step locally; allauth refuses it unless DEBUG.
MFA_TOTP_INSECURE_BYPASS_CODE = env_str("MFA_TOTP_INSECURE_BYPASS_CODE", "000000")
# Passkeys need a secure origin; the development server is plain http.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# Tasks run in process here: their "succeeded" lines and Wagtail's page log would bury the
# demo logins and the server's own output.
LOGGING["loggers"].update(  # noqa: F405
    {"celery.app.trace": {"level": "WARNING"}, "wagtail": {"level": "WARNING"}}
)
