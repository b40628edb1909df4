from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    """The domain: organisations, people, challenges' data, solutions and their history."""

    name = "forum"
    verbose_name = _("フォーラム")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported once the app registry is ready: the checks read models, and the receivers
        # queue tasks whose modules import the services.
        from forum import checks, signal_handlers  # noqa: F401
