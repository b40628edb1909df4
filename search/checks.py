"""System checks for the settings the index layer reads."""

from django.conf import settings
from django.core.checks import Error, register

from search.backends import BACKENDS, configured_name


@register()
def check_search_settings(app_configs, **kwargs):
    """Report a SEARCH_BACKEND no factory knows, or Elasticsearch chosen without a cluster."""
    name = configured_name()
    if name not in BACKENDS:
        return [
            Error(
                f"SEARCH_BACKEND is {name!r}, which is not a search backend.",
                hint=f"Use one of: {', '.join(sorted(BACKENDS))}.",
                id="search.E001",
            )
        ]
    if name == "elasticsearch" and not getattr(settings, "ELASTICSEARCH_URL", ""):
        return [
            Error(
                "SEARCH_BACKEND is 'elasticsearch' but ELASTICSEARCH_URL is empty.",
                hint="Set ELASTICSEARCH_URL, or leave SEARCH_BACKEND unset for the embedded backend.",
                id="search.E002",
            )
        ]
    return []
