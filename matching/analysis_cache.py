"""The analyser's readings of texts for matching, read once for the site.

A suggestion needs the words of its source (its telling terms) and of every target it explains
(the phrases both share). Each process remembers the texts it read last, and the site's cache
keeps them for every other process and restart (search.analysis_cache).
"""

from functools import lru_cache

from search.analysis import Word, analyze_like, words
from search.analysis_cache import remembered


@lru_cache(maxsize=4096)
def text_words(folded: str) -> tuple[Word, ...]:
    """search.analysis.words of a folded text, read once for the site."""
    return remembered("words", folded, lambda: words(folded))


@lru_cache(maxsize=1024)
def query_tokens(text: str, *, synonyms: bool = True) -> dict[str, list[str]]:
    """search.analysis.analyze_like of a source text, read once for the site (do not change it)."""
    kind = "like" if synonyms else "like-plain"
    return remembered(kind, text, lambda: analyze_like(text, synonyms=synonyms))
