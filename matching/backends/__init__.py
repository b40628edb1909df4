"""The matching backend chosen by SEARCH_BACKEND, built once per process and setting value.

It follows the search backend's setting, since it runs where the documents are indexed.
BACKENDS maps each value to its class by dotted path (as search.backends does); instances are
cached, and a change of the settings they read (override_settings or pytest-django's
``settings`` in tests) empties the cache.
"""

from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from matching.backends.base import AlertMatcher, MatchingBackend
from search.backends import BACKEND_SETTINGS, configured_name

BACKENDS = {
    "embedded": "matching.backends.embedded.EmbeddedMatching",
    "elasticsearch": "matching.backends.elasticsearch.ElasticsearchMatching",
}


@cache
def backend_named(name: str) -> MatchingBackend:
    """The process's matching backend registered under `name`."""
    if name not in BACKENDS:
        raise ImproperlyConfigured(
            f"SEARCH_BACKEND is {name!r}; matching runs on {', '.join(sorted(BACKENDS))}."
        )
    return import_string(BACKENDS[name])()


def get_matching() -> MatchingBackend:
    """The configured matching backend."""
    return backend_named(configured_name())


def get_alert_matcher() -> AlertMatcher:
    """Where the configured backend runs the alert rules."""
    return get_matching().alert_matcher()


@receiver(setting_changed)
def on_setting_changed(*, setting: str, **kwargs) -> None:
    """Forget the built backends when a setting they read changes."""
    if setting in BACKEND_SETTINGS:
        backend_named.cache_clear()
