"""System checks for settings the forum depends on."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_forum_settings(app_configs, **kwargs):
    """Report settings that would break sign-in or background work."""
    problems = []
    if settings.LANGUAGE_CODE != "ja":
        problems.append(
            Warning(
                "LANGUAGE_CODE should be 'ja': the forum speaks Japanese first.", id="forum.W001"
            )
        )
    if (
        not settings.CELERY_TASK_ALWAYS_EAGER
        and settings.CELERY_BROKER_URL.startswith(("memory://",))
        or not settings.CELERY_BROKER_URL
    ):
        problems.append(
            Error(
                "CELERY_BROKER_URL is empty while tasks are not eager: nothing would run them.",
                hint="Set CELERY_BROKER_URL (for example redis://127.0.0.1:6379/0) or CELERY_TASK_ALWAYS_EAGER=1.",
                id="forum.E001",
            )
        )
    if getattr(settings, "MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", False) and not settings.DEBUG:
        problems.append(
            Error(
                "MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN accepts passkeys from any origin; it is for "
                "the development server only.",
                hint="Leave it unset outside DEBUG.",
                id="forum.E003",
            )
        )
    return problems


@register()
def backup_root_outside_media(app_configs, **kwargs):
    """BACKUP_ROOT must not lie inside MEDIA_ROOT, which the web server may serve publicly."""
    backups = Path(settings.BACKUP_ROOT).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    if backups == media or media in backups.parents:
        return [
            Error(
                f"BACKUP_ROOT ({backups}) lies inside MEDIA_ROOT ({media}), which is served publicly.",
                hint="Set BACKUP_ROOT to a folder outside MEDIA_ROOT.",
                id="forum.E002",
            )
        ]
    return []
