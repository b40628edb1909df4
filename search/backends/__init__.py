"""The search backend is chosen by a setting through this factory; callers never branch on it."""

from django.conf import settings
from django.utils.module_loading import import_string

BACKENDS = {
    "embedded": "search.backends.embedded.EmbeddedBackend",
    "elasticsearch": "search.backends.elasticsearch.ElasticsearchBackend",
}


def get_backend():
    """The configured backend (SEARCH_BACKEND, default embedded)."""
    name = getattr(settings, "SEARCH_BACKEND", "embedded")
    return import_string(BACKENDS[name])()


def get_writers():
    """Every backend that must receive index writes.

    The embedded store is always kept: the matching layer reads it in process. With
    Elasticsearch configured, it is written as well and serves the search page.
    """
    from search.backends.embedded import EmbeddedBackend

    writers = [EmbeddedBackend()]
    if getattr(settings, "SEARCH_BACKEND", "embedded") != "embedded":
        writers.append(get_backend())
    return writers
