"""Checks of the backup settings: a backup holds private files and password hashes."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register


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
                id="ops.E001",
            )
        ]
    return []
