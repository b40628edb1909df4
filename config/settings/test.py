"""Settings for the test suite: the database comes from DATABASE_URL when set, else SQLite."""

from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR

SECRET_KEY = "test-secret-key-not-for-production-use-0123456789"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"
PRIVATE_MEDIA_ROOT = VAR_DIR / "test-private"
MATCHING_SNAPSHOT_DIR = VAR_DIR / "test-matching"
WHITENOISE_AUTOREFRESH = True
# High enough that no test but the throttling ones ever meets a limit; those set their own.
API_THROTTLE_RATES = {"anon": "100000/min", "token": "100000/min"}
# The page cache would keep pages across tests that change rows directly; its own tests set it.
PAGE_CACHE_SECONDS = 0
