from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """Pairing challenges and solutions, with reasons, and measuring how well it works."""

    name = "matching"
    verbose_name = _("マッチング")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported once the app registry is ready: the receivers and panels read models.
        from matching import signal_handlers  # noqa: F401
        from matching.panels import panels_register

        panels_register()
