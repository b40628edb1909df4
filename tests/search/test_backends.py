"""The search backend factory (search/backends/__init__.py): one instance per setting value."""

from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.utils.module_loading import import_string

import pytest

from search.backends import BACKENDS, get_backend, get_store, get_writers
from search.backends.base import SearchBackend


def test_the_configured_backend_is_built_once_per_process(settings):
    """Every caller shares one backend (and so one Elasticsearch client) per setting value."""
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://es.test:9200"
    assert get_backend() is get_backend()
    assert get_writers() == [get_store(), get_backend()]


def test_changing_the_setting_builds_the_other_backend(settings):
    """A changed SEARCH_BACKEND is followed at once: the cache forgets what it built."""
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://es.test:9200"
    assert get_backend().name == "elasticsearch"
    with override_settings(SEARCH_BACKEND="embedded"):
        assert get_backend() is get_store()
        assert get_writers() == [get_store()]
    assert get_backend().name == "elasticsearch"


def test_an_unknown_backend_is_a_configuration_error(settings):
    """A misspelt SEARCH_BACKEND fails with a message naming the choices."""
    settings.SEARCH_BACKEND = "elastic"
    with pytest.raises(
        ImproperlyConfigured, match="embedded, elasticsearch|elasticsearch, embedded"
    ):
        get_backend()


@pytest.mark.parametrize("name", sorted(BACKENDS))
def test_every_registered_backend_implements_the_interface(name):
    """Each class of the registry is a complete SearchBackend registered under its own name."""
    backend_class = import_string(BACKENDS[name])
    assert issubclass(backend_class, SearchBackend)
    assert not backend_class.__abstractmethods__
    assert backend_class.name == name


def test_system_check_reports_an_unknown_or_unreachable_backend(settings):
    """manage.py check names a misspelt SEARCH_BACKEND, and Elasticsearch chosen without a URL."""
    from search.checks import check_search_settings

    settings.SEARCH_BACKEND = "elastic"
    assert [e.id for e in check_search_settings(None)] == ["search.E001"]
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = ""
    assert [e.id for e in check_search_settings(None)] == ["search.E002"]
    settings.ELASTICSEARCH_URL = "http://es.test:9200"
    assert check_search_settings(None) == []
