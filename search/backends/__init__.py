"""The search backend chosen by SEARCH_BACKEND, built once per process and setting value.

BACKENDS maps each setting value to its class by dotted path, as Django names its cache and
storage backends, so the Elasticsearch client is loaded only where it is configured. The
instances are cached (one client per process); a change of the settings they read (in tests,
override_settings or pytest-django's ``settings``) empties the cache.
"""

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from search.backends.base import SearchBackend

BACKENDS = {
    "embedded": "search.backends.embedded.EmbeddedBackend",
    "elasticsearch": "search.backends.elasticsearch.ElasticsearchBackend",
}
# The backend that is always written: it keeps the entries in the database, matching reads
# them in process, and the search page falls back to it when another backend fails.
STORE = "embedded"
# Settings a cached backend has read when it was built.
BACKEND_SETTINGS = frozenset({"SEARCH_BACKEND", "ELASTICSEARCH_URL"})


def configured_name() -> str:
    """The value of SEARCH_BACKEND (embedded when unset)."""
    return getattr(settings, "SEARCH_BACKEND", STORE)


@cache
def backend_named(name: str) -> SearchBackend:
    """The process's backend registered under `name`."""
    if name not in BACKENDS:
        raise ImproperlyConfigured(
            f"SEARCH_BACKEND is {name!r}; it must be one of {', '.join(sorted(BACKENDS))}."
        )
    return import_string(BACKENDS[name])()


def get_backend() -> SearchBackend:
    """The configured backend: it answers the search page and check_index."""
    return backend_named(configured_name())


def get_store() -> SearchBackend:
    """The embedded store, written whatever the configuration (see STORE)."""
    return backend_named(STORE)


def get_writers() -> list[SearchBackend]:
    """Every backend that must receive index writes: the store first, then the configured one."""
    store, backend = get_store(), get_backend()
    return [store] if backend is store else [store, backend]


@receiver(setting_changed)
def on_setting_changed(*, setting: str, **kwargs) -> None:
    """Forget the built backends when a setting they read changes."""
    if setting in BACKEND_SETTINGS:
        backend_named.cache_clear()
