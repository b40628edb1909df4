"""Production: every secret from the environment, HTTPS everywhere."""

from config.settings.base import *  # noqa: F403
from config.settings.env import env_bool, env_int, env_required

SECRET_KEY = env_required("DJANGO_SECRET_KEY")
DEBUG = False
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
# Wagtail's live preview frames pages of this same site, which needs SAMEORIGIN rather
# than DENY (set in base); the clickjacking protection against other origins stays.
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# Sync workers answer one request at a time, so each keeps its database connection for a minute
# instead of opening one per request (PostgreSQL starts a process for every connection) and
# checks it before reusing it, so a restarted database costs a check rather than a request.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
