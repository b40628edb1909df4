"""The search backend is chosen by a setting through this factory; callers never branch on it."""

from django.conf import settings
from django.utils.module_loading import import_string

BACKENDS = {"embedded": "search.backends.embedded.EmbeddedBackend"}


def get_backend():
    """The configured backend (SEARCH_BACKEND, default embedded)."""
    name = getattr(settings, "SEARCH_BACKEND", "embedded")
    return import_string(BACKENDS[name])()
