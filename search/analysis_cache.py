"""The analyser's output kept in the site's cache, so a text is analysed once for the site.

Analysing a text (bigrams and the morphological words) takes tens of milliseconds. Search
snapshots need the tokens of every entry, and matching needs the words of every text it
explains; without a shared copy each process and each restart would analyse them again. The
output is kept in the site's cache (Redis in production) under the text's hash and one
fingerprint of the analyser (its code, the shared synonym list, the tagger's and the dictionary's versions), so
a change of the analyser changes every key. The output is the analyser's own, so results are
the same with or without the cache; an unreachable cache only means analysing again.
"""

import contextlib
import hashlib
import logging
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from django.core.cache import cache as shared_cache

from search import analysis, bm25

logger = logging.getLogger(__name__)

CHUNK = 500
# Output depends only on the text and the analyser: kept until the cache needs the room.
TIMEOUT = 60 * 60 * 24 * 30

T = TypeVar("T")


@cache
def fingerprint() -> str:
    """What the analysis of a text depends on besides the text: the analyser's code and data."""
    digest = hashlib.sha256()
    for module in (analysis, bm25):
        digest.update(Path(module.__file__).read_bytes())
    for path in sorted(analysis.SYNONYMS_PATH.parent.glob("*")):
        digest.update(path.read_bytes())
    for package in ("fugashi", "ipadic"):  # the tagger and its dictionary
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(metadata.version(package).encode())
    return digest.hexdigest()[:16]


def key(kind: str, digest: str) -> str:
    """The cache key of one kind of analysis of the text whose hash is `digest`."""
    return f"analysis:{kind}:{fingerprint()}:{digest}"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def remembered(kind: str, text: str, analyse: Callable[[], T]) -> T:
    """The kept `kind` analysis of `text`, else `analyse()` kept now."""
    cache_key = key(kind, text_hash(text))
    try:
        value = shared_cache.get(cache_key)
    except Exception:  # a cache that cannot answer is a miss
        logger.debug("The cache could not answer for %s.", cache_key, exc_info=True)
        value = None
    if value is None:
        value = analyse()
        try:
            shared_cache.set(cache_key, value, TIMEOUT)
        except Exception:
            logger.debug("The cache could not keep %s.", cache_key, exc_info=True)
    return value


def tokens_read(content_hashes: list[str]) -> dict[str, dict[str, list[str]]]:
    """content hash → tokens per indexed field, of those the cache holds."""
    found = {}
    for start in range(0, len(content_hashes), CHUNK):
        keys = {key("tokens", h): h for h in content_hashes[start : start + CHUNK]}
        try:
            values = shared_cache.get_many(list(keys))
        except Exception:  # the cache is down: analyse instead
            logger.warning("Shared cache unavailable for analysed entries.", exc_info=True)
            return found
        found.update((keys[cache_key], value) for cache_key, value in values.items())
    return found


def tokens_write(analysed: dict[str, dict[str, list[str]]]) -> None:
    """Keep the tokens of newly analysed entries (content hash → tokens per field)."""
    items = list(analysed.items())
    for start in range(0, len(items), CHUNK):
        try:
            shared_cache.set_many(
                {key("tokens", h): tokens for h, tokens in items[start : start + CHUNK]},
                timeout=TIMEOUT,
            )
        except Exception:
            logger.warning("Shared cache unavailable for analysed entries.", exc_info=True)
            return
