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
