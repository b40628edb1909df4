from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """Wagtail pages the secretariat curates and municipalities publish through."""

    name = "cms"
    verbose_name = _("サイトのページ")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported once the app registry is ready: the receivers read models.
        from cms import signal_handlers  # noqa: F401
