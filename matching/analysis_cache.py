"""The analyser's readings of texts for matching, kept in the site's cache for every process.

Reading a text into whole words (search.analysis.words, a morphological analyser) costs tens
of milliseconds per text, more than scoring a whole side of the matcher. A suggestion needs it
for its source (the telling terms of its text) and for every target it explains (the phrases
both share). Each process remembers the texts it read last; this keeps the readings in the
site's cache as well (Redis in production), under the text's hash and the analyser's
fingerprint, so a text is read once for the site instead of once per process and restart.
The readings are the analyser's own, so suggestions are the same with or without the cache;
an unreachable cache only means reading the text again.
"""

import hashlib
import logging
from functools import lru_cache
from pathlib import Path

from django.core.cache import cache

import search.analysis
import search.bm25
from search.analysis import Word, analyze_like, words

logger = logging.getLogger(__name__)

TIMEOUT = 30 * 86400


@lru_cache(maxsize=1)
def analysis_fingerprint() -> str:
    """What a reading depends on besides the text: the analyser, its glossary and dictionary."""
    import janome

    digest = hashlib.sha256(str(getattr(janome, "__version__", "")).encode())
    for module in (search.analysis, search.bm25):
        digest.update(Path(module.__file__).read_bytes())
    for path in sorted((Path(search.analysis.__file__).parent / "synonyms").glob("*")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def _key(kind: str, text: str) -> str:
    return f"analysis:{kind}:{analysis_fingerprint()}:{hashlib.sha256(text.encode()).hexdigest()}"


def _remembered(key: str, read):
    """The value kept under `key`, else `read()` kept there now."""
    try:
        value = cache.get(key)
    except Exception:  # a cache that cannot answer is a miss
        logger.debug("The cache could not answer for %s.", key, exc_info=True)
        value = None
    if value is None:
        value = read()
        try:
            cache.set(key, value, TIMEOUT)
        except Exception:
            logger.debug("The cache could not keep %s.", key, exc_info=True)
    return value


@lru_cache(maxsize=4096)
def text_words(folded: str) -> tuple[Word, ...]:
    """search.analysis.words of a folded text, read once for the site."""
    return _remembered(_key("words", folded), lambda: words(folded))


@lru_cache(maxsize=1024)
def query_tokens(text: str, *, synonyms: bool = True) -> dict[str, list[str]]:
    """search.analysis.analyze_like of a source text, read once for the site (do not change it)."""
    kind = "like" if synonyms else "like-plain"
    return _remembered(_key(kind, text), lambda: analyze_like(text, synonyms=synonyms))
