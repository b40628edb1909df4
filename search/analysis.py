"""Text analysis shared by the embedded backend and mirrored by the Elasticsearch analyzer.

The chain follows the Elasticsearch analyzer of the index mapping: width and
compatibility folding (NFKC, like cjk_width), lowercasing, runs of Han, Hiragana and
Katakana turned into overlapping bigrams (cjk_bigram: a lone character stays a
unigram), Latin words and numbers kept whole, and the shared synonym list.
"""

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

SYNONYMS_PATH = Path(__file__).resolve().parent / "synonyms" / "synonyms.txt"

_CJK = r"\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ"
_TOKEN = re.compile(rf"[{_CJK}]+|[a-z0-9]+(?:[.'][a-z0-9]+)*")


def normalise(text: str) -> str:
    """Fold width and compatibility forms and case: ＡＩ → ai, ﾄﾞﾛｰﾝ → ドローン."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokenize(text: str) -> list[str]:
    """Tokens of already normalised text: CJK bigrams and whole Latin words."""
    tokens: list[str] = []
    for match in _TOKEN.finditer(text):
        piece = match.group(0)
        if piece[0].isascii():
            tokens.append(piece)
        else:
            tokens.extend(_bigrams(piece))
    return tokens


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """The synonym list, normalised, one tuple of equivalent terms per line."""
    groups = []
    for line in SYNONYMS_PATH.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        terms = tuple(
            dict.fromkeys(normalise(term).strip() for term in line.split(",") if term.strip())
        )
        if len(terms) > 1:
            groups.append(terms)
    return tuple(groups)


def expand_synonyms(text: str) -> str:
    """Append the equivalents of every synonym found in normalised text."""
    extra = []
    for group in synonym_groups():
        if any(_contains(text, term) for term in group):
            extra.extend(term for term in group if not _contains(text, term))
    return text if not extra else f"{text} {' '.join(extra)}"


def _contains(text: str, term: str) -> bool:
    if term.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", text) is not None
    return term in text


def analyze(text: str, *, synonyms: bool = True) -> list[str]:
    """The index and query tokens of a text."""
    normalised = normalise(text)
    if synonyms:
        normalised = expand_synonyms(normalised)
    return tokenize(normalised)
