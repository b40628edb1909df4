"""The analyser's readings are shared through the site's cache, and never needed from it."""

import pytest

import search.analysis_cache
from matching import analysis_cache
from search.analysis import analyze_like, normalise, words

TEXT = "ため池の水位をセンサーで見守りたい"


@pytest.fixture(autouse=True)
def fresh_memory(settings):
    """Each test starts with an empty site cache and nothing remembered in the process."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
    from django.core.cache import cache

    cache.clear()
    analysis_cache.text_words.cache_clear()
    analysis_cache.query_tokens.cache_clear()
    yield
    analysis_cache.text_words.cache_clear()
    analysis_cache.query_tokens.cache_clear()


def _unreadable(*args, **kwargs):
    raise AssertionError("the analyser was asked again")


def test_a_reading_is_taken_from_the_cache_by_another_process(monkeypatch):
    """Once read, a text is not read again by a process that never read it (the cache has it)."""
    folded = normalise(TEXT)
    first = analysis_cache.text_words(folded)
    tokens = analysis_cache.query_tokens(TEXT)
    assert first == words(folded) and tokens == analyze_like(TEXT)
    analysis_cache.text_words.cache_clear()  # as a process that starts now
    analysis_cache.query_tokens.cache_clear()
    monkeypatch.setattr(analysis_cache, "words", _unreadable)
    monkeypatch.setattr(analysis_cache, "analyze_like", _unreadable)
    assert analysis_cache.text_words(folded) == first
    assert analysis_cache.query_tokens(TEXT) == tokens


def test_an_unreachable_cache_only_means_reading_again(monkeypatch):
    """A cache that raises is a miss: the analyser answers."""

    class Unreachable:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache is down")

        set = get_many = set_many = get

    monkeypatch.setattr(search.analysis_cache, "shared_cache", Unreachable())
    assert analysis_cache.query_tokens(TEXT, synonyms=False) == analyze_like(TEXT, synonyms=False)


def test_a_changed_analyser_does_not_read_what_the_old_one_kept(monkeypatch):
    """The analyser's code or data changing changes every key: nothing old is served."""
    folded = normalise(TEXT)
    analysis_cache.text_words(folded)
    analysis_cache.text_words.cache_clear()
    search.analysis_cache.fingerprint.cache_clear()
    monkeypatch.setattr(search.analysis_cache.Path, "read_bytes", lambda self: b"changed")
    monkeypatch.setattr(analysis_cache, "words", _unreadable)
    try:
        with pytest.raises(AssertionError, match="asked again"):
            analysis_cache.text_words(folded)
    finally:
        search.analysis_cache.fingerprint.cache_clear()
