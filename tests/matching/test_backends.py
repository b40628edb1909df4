"""The matching backend factory and interface (matching/backends/)."""

from django.utils.module_loading import import_string

import pytest

from matching.backends import BACKENDS, get_alert_matcher, get_matching
from matching.backends.base import AlertMatcher, MatchingBackend
from matching.backends.elasticsearch import PercolatorAlertMatcher
from matching.backends.embedded import EmbeddedAlertMatcher, EmbeddedMatching
from search.backends import BACKENDS as SEARCH_BACKENDS


def test_matching_follows_the_search_backend_and_is_built_once(settings):
    """SEARCH_BACKEND chooses the matching backend too; callers share one instance per value."""
    settings.SEARCH_BACKEND = "embedded"
    assert get_matching() is get_matching()
    assert isinstance(get_matching(), EmbeddedMatching)
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://es.test:9200"
    assert get_matching().name == "elasticsearch"
    assert get_alert_matcher().stores_rules


def test_every_search_backend_has_a_matching_backend():
    """Whatever the search backend, matching has one of the same name."""
    assert set(BACKENDS) == set(SEARCH_BACKENDS)


@pytest.mark.parametrize("name", sorted(BACKENDS))
def test_every_registered_backend_implements_the_interface(name):
    """Each class of the registry is a complete MatchingBackend."""
    backend_class = import_string(BACKENDS[name])
    assert issubclass(backend_class, MatchingBackend)
    assert not backend_class.__abstractmethods__
    assert backend_class.name == name


@pytest.mark.parametrize("alert_matcher", [EmbeddedAlertMatcher, PercolatorAlertMatcher])
def test_every_alert_matcher_implements_the_interface(alert_matcher):
    """Both places the alert rules run are complete AlertMatchers."""
    assert issubclass(alert_matcher, AlertMatcher)
    assert not alert_matcher.__abstractmethods__


@pytest.mark.django_db
def test_one_suggester_reads_the_stored_index_once(pairing_world, django_assert_num_queries):
    """A page's many suggestions share one reading of the index: later ones query nothing more."""
    suggester = get_matching().suggester()
    challenge_id = f"challenge:{pairing_world['challenge'].pk}"
    first = suggester.suggest(challenge_id)
    with django_assert_num_queries(0):
        again = suggester.suggest(challenge_id)
    assert [s.doc_id for s in again] == [s.doc_id for s in first]
