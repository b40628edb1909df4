from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The index layer: text analysis and the search backends built from forum objects."""

    name = "search"
    verbose_name = _("検索")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported once the app registry is ready: the receivers and checks read models.
        from search import checks, signal_handlers  # noqa: F401
