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
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_LATIN_CHAR = re.compile(r"[A-Za-z]")


def normalise(text: str) -> str:
    """Fold width and compatibility forms and case: ＡＩ → ai, ﾄﾞﾛｰﾝ → ドローン."""
    return unicodedata.normalize("NFKC", text or "").lower()


def folded_with_positions(text: str) -> tuple[str, list[int]]:
    """The text folded like normalise, with the original index of each folded character.

    Characters are folded one at a time so positions can be mapped back; a half-width voiced
    mark (ﾞ, ﾟ) folds into a combining mark and is joined to the letter before it.
    """
    chars: list[str] = []
    starts: list[int] = []
    for index, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char).lower()
        if folded and unicodedata.combining(folded[0]) and chars:
            composed = unicodedata.normalize("NFC", chars[-1] + folded)
            if len(composed) == 1:
                chars[-1] = composed
                continue
        for piece in folded:
            chars.append(piece)
            starts.append(index)
    return "".join(chars), starts


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


_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _synonym_lookup() -> tuple[dict, dict, dict]:
    """Synonym terms keyed for a single pass over a text.

    Latin terms are sequences of whole words, keyed by their first word (so "ai" never
    matches inside "maintain"); other terms are substrings, keyed by their first character.
    """
    groups_of: dict[str, list[int]] = {}
    for number, group in enumerate(synonym_groups()):
        for term in group:
            groups_of.setdefault(term, []).append(number)
    latin: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    other: dict[str, list[str]] = {}
    for term in groups_of:
        if term.isascii():
            words = tuple(_WORD.findall(term))
            if words:
                latin.setdefault(words[0], []).append((words, term))
        else:
            other.setdefault(term[0], []).append(term)
    return latin, other, {term: tuple(numbers) for term, numbers in groups_of.items()}


def _latin_terms_in(text: str, latin: dict) -> set[str]:
    """Latin synonym terms whose whole words occur in the text, in sequence."""
    words = _WORD.findall(text)
    return {
        term
        for index, word in enumerate(words)
        for sequence, term in latin.get(word, ())
        if tuple(words[index : index + len(sequence)]) == sequence
    }


def _other_terms_in(text: str, other: dict) -> set[str]:
    """Non-Latin synonym terms that occur anywhere in the text."""
    return {
        term
        for index, char in enumerate(text)
        for term in other.get(char, ())
        if text.startswith(term, index)
    }


def synonyms_found(text: str) -> dict[int, set[str]]:
    """Synonym groups present in normalised text, with the terms of each that occur."""
    if not synonym_groups():
        return {}
    latin, other, groups_of = _synonym_lookup()
    found: dict[int, set[str]] = {}
    for term in _latin_terms_in(text, latin) | _other_terms_in(text, other):
        for number in groups_of[term]:
            found.setdefault(number, set()).add(term)
    return found


def canonical_term(term: str) -> str:
    """One spelling per synonym group, so ＡＩ, AI and 人工知能 compare equal."""
    value = normalise(term).strip()
    numbers = _synonym_lookup()[2].get(value)
    return synonym_groups()[numbers[0]][0] if numbers else value


def expand_synonyms(text: str) -> str:
    """Append the equivalents of every synonym found in normalised text."""
    groups = synonym_groups()
    extra = []
    for number, present in synonyms_found(text).items():
        extra.extend(term for term in groups[number] if term not in present)
    return text if not extra else f"{text} {' '.join(extra)}"


def analyze(text: str, *, synonyms: bool = True) -> list[str]:
    """The index and query tokens of a text."""
    normalised = normalise(text)
    if synonyms:
        normalised = expand_synonyms(normalised)
    return tokenize(normalised)


def detect_language(text: str) -> str:
    """ "ja" when Japanese script dominates the text, else "en" (used to calibrate vectors)."""
    folded = unicodedata.normalize("NFKC", text or "")
    japanese = len(_CJK_CHAR.findall(folded))
    latin = len(_LATIN_CHAR.findall(folded))
    # A Japanese character carries about as much as a four-letter English word.
    return "ja" if japanese * 4 >= latin else "en"
