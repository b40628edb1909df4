"""Analysed index entries kept in the shared cache, so a process starting does not analyse them again.

Analysing an entry's text (bigrams and the morphological words) takes tens of milliseconds, so
a process building its search snapshot from nothing spends minutes at 10,000 entries. The tokens
of each entry are kept in the site's cache (Redis in production) under the entry's content hash
and a fingerprint of the analyser (its code, the shared synonym list and the tokenizer's
version): the first process to analyse an entry stores its tokens, and every other process and
every restart reads them. A change of the analyser changes the fingerprint, and an unreachable
cache only means analysing again.
"""

import contextlib
import hashlib
import logging
from functools import cache
from importlib import metadata
from pathlib import Path

from django.core.cache import cache as shared_cache

from search import analysis

logger = logging.getLogger(__name__)

CHUNK = 500
# Tokens depend only on the text and the analyser: kept until the cache needs the room.
TIMEOUT = 60 * 60 * 24 * 30


@cache
def fingerprint() -> str:
    """What the tokens of a text depend on besides the text: the analyser's code and data."""
    digest = hashlib.sha256()
    digest.update(Path(analysis.__file__).read_bytes())
    digest.update(analysis.SYNONYMS_PATH.read_bytes())
    with contextlib.suppress(metadata.PackageNotFoundError):
        digest.update(metadata.version("janome").encode())
    return digest.hexdigest()[:16]


def _key(content_hash: str) -> str:
    return f"search:tokens:{fingerprint()}:{content_hash}"


def tokens_read(content_hashes: list[str]) -> dict[str, dict[str, list[str]]]:
    """content hash → tokens per indexed field, of those the cache holds."""
    found = {}
    for start in range(0, len(content_hashes), CHUNK):
        keys = {_key(h): h for h in content_hashes[start : start + CHUNK]}
        try:
            values = shared_cache.get_many(list(keys))
        except Exception:  # the cache is down: analyse instead
            logger.warning("Shared cache unavailable for analysed entries.", exc_info=True)
            return found
        found.update((keys[key], value) for key, value in values.items())
    return found


def tokens_write(analysed: dict[str, dict[str, list[str]]]) -> None:
    """Keep the tokens of newly analysed entries (content hash → tokens per field)."""
    items = list(analysed.items())
    for start in range(0, len(items), CHUNK):
        try:
            shared_cache.set_many(
                {_key(h): tokens for h, tokens in items[start : start + CHUNK]}, timeout=TIMEOUT
            )
        except Exception:
            logger.warning("Shared cache unavailable for analysed entries.", exc_info=True)
            return
