"""Help when a search finds nothing: close terms from what the site knows, kept if they find something.

The vocabulary holds the words of indexed titles and summaries, the synonym list and the
names of fields, technologies and municipalities, keyed width- and kana-folded; it is built
again only when the stored index changed.
"""

import difflib
import re
from collections.abc import Iterator
from urllib.parse import urlencode

from forum.models import Field, Municipality, Technology
from search.analysis import normalise, synonym_groups
from search.backends.embedded import entries_state
from search.models import IndexedDocument
from search.results import results_count

_TERM_RUNS = re.compile(r"[ァ-ヴー]{2,}|[\u3400-\u4dbf\u4e00-\u9fff々]{2,}|[a-z][a-z0-9]{2,}")
_vocabulary_cache: dict = {}


def _kana_folded(text: str) -> str:
    """Katakana as hiragana, after width and case folding: ドローン and どろーん compare equal."""
    return "".join(
        chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in normalise(text)
    ).strip()


def _indexed_words() -> Iterator[tuple[str, str | None]]:
    for title, summary in IndexedDocument.objects.values_list("title", "summary"):
        for word in _TERM_RUNS.findall(normalise(f"{title} {summary}")):
            yield word, None


def _synonym_terms() -> Iterator[tuple[str, str | None]]:
    for group in synonym_groups():
        for term in group:
            yield term, None


def _names() -> Iterator[tuple[str, str | None]]:
    """Fields and technologies in both languages; municipalities also under their reading."""
    for model in (Field, Technology):
        for ja, en in model.objects.values_list("name_ja", "name_en"):
            yield ja, None
            yield en.lower(), None
    for name, kana in Municipality.objects.values_list("name", "name_kana"):
        yield name, None
        yield name, _kana_folded(kana)


def _vocabulary() -> dict[str, str]:
    """folded key → term people can search for: words of indexed titles and summaries, the
    synonym list, and the names of fields, technologies and municipalities (the first term
    of a key is kept)."""
    state = entries_state()
    if _vocabulary_cache.get("key") == state:
        return _vocabulary_cache["terms"]
    terms: dict[str, str] = {}
    for source in (_indexed_words, _synonym_terms, _names):
        for raw, key in source():
            term = (raw or "").strip()
            if len(term) >= 2:
                terms.setdefault(key or _kana_folded(term), term)
    _vocabulary_cache.update(key=state, terms=terms)
    return terms


def close_queries(query: str, *, limit: int = 3) -> list[dict]:
    """Queries close to one that found nothing, each with how many visible results it finds.

    Each word is compared, width- and kana-folded, with the vocabulary; only corrections that
    really return something the visitor may see are offered.
    """
    vocabulary = _vocabulary()
    keys = list(vocabulary)
    words = normalise(query).split()[:6]
    choices = []
    for word in words:
        key = _kana_folded(word)
        close = difflib.get_close_matches(key, keys, n=3, cutoff=0.75)
        options = dict.fromkeys(vocabulary[k] for k in close if vocabulary[k] != word)
        choices.append(list(options) or [word])
    candidates = [" ".join(options[0] for options in choices)]
    for position, options in enumerate(choices):
        for option in options[1:]:
            variant = [c[0] for c in choices]
            variant[position] = option
            candidates.append(" ".join(variant))
    suggestions = []
    for candidate in dict.fromkeys(candidates):
        if candidate == normalise(query) or len(suggestions) >= limit:
            continue
        found = results_count(candidate)
        if found:
            suggestions.append(
                {"query": candidate, "count": found, "querystring": urlencode({"q": candidate})}
            )
    return suggestions
