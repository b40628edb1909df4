from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: backups of the database and both file roots, and restores from them.

    It sits above every other app: a restore ends by rebuilding the search index, which the
    domain itself never touches.
    """

    name = "ops"
    verbose_name = _("運用")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ops import checks  # noqa: F401
