"""The phrases two texts share, found from the terms that matched, for reasons and highlights.

Reasons name whole words (``word_phrases``): the target's text is read by the analyser
(search.analysis.words) and a word is shared when its index term matched, or when a term of
its glossary group did (ドローン for a source that said UAV). Neighbouring shared words join
into one phrase (橋梁 + 点検 → 「橋梁点検」) and take the affixes beside them (高齢 + 者 →
「高齢者」), so every phrase begins and ends on the analyser's word boundaries.
``non_word_phrases`` checks exactly that, for the measurement kept in the tests.

``shared_phrases`` and ``highlight`` mark analysed tokens (Japanese bigrams, whole Latin
words) where they occur, for highlighting text.
"""

import html
import re
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe

from matching.analysis_cache import text_words
from search.analysis import (
    Word,
    folded_with_positions,
    normalise,
    synonym_group_terms,
    synonym_groups,
    word_terms,
    words,
)

_KANA_ONLY = re.compile(r"^[\u3041-\u309fー・、。\s]+$")
# Bigrams straddle word boundaries (暮ら|らし|し高 …). A run of matched bigrams that starts in the
# middle of a word is widened to the word's start (らし高齢者 → 暮らし高齢者), cut where a particle
# stands before a new word (高齢者の見守り → 高齢者, 見守り), and loses a particle at either end.
_HIRAGANA = re.compile(r"[\u3041-\u309f]")
_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff々]")
_PARTICLE_BEFORE_WORD = re.compile(r"[のがをにはでとへもや](?=[^\u3041-\u309f])")
_LEADING = re.compile(r"^([のがをにはでとへもや](?=[^\u3041-\u309f])|[・、。「」（）\s])+")
_TRAILING = re.compile(r"[のがをにはでとへもや・、。「」（）\s]+$")


def _spans(text: str, terms: set[str]) -> list[tuple[int, int]]:
    """Merged [start, end) ranges of the original text covered by the terms."""
    folded, positions = folded_with_positions(text)
    covered = bytearray(len(text))
    for term in terms:
        if not term:
            continue
        if term.isascii():
            pattern = rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])"
        else:
            pattern = re.escape(term)
        for match in re.finditer(pattern, folded):
            # To the start of the next folded character, so a voiced mark joined to the
            # last letter (ﾄﾞ → ド) is covered with it.
            after = positions[match.end()] if match.end() < len(positions) else len(text)
            for i in range(positions[match.start()], max(positions[match.end() - 1] + 1, after)):
                covered[i] = 1
    spans, start = [], None
    for index, flag in enumerate(covered):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            spans.append((start, index))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans


def shared_phrases(text: str, terms: set[str], *, limit: int = 3) -> list[str]:
    """The longest phrases of the text made of matched terms (kana-only runs left out)."""
    seen = {}
    for start, end in _spans(text, terms):
        if _HIRAGANA.match(text[start : start + 1]):
            while start > 0 and _KANJI.match(text[start - 1]):
                start -= 1
        for piece in _PARTICLE_BEFORE_WORD.split(text[start:end].strip()):
            phrase = _TRAILING.sub("", _LEADING.sub("", piece))
            if len(phrase) < 2 or _KANA_ONLY.match(phrase):
                continue
            seen.setdefault(phrase, len(phrase))
    return sorted(seen, key=lambda p: (-seen[p], p))[:limit]


def highlight(text: str, terms: set[str]) -> SafeString:
    """The text, escaped, with the matched phrases marked."""
    out, last = [], 0
    for start, end in _spans(text, terms):
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return mark_safe("".join(out))


@lru_cache(maxsize=4096)
def _group_word_terms(key: str) -> frozenset[str]:
    """The word terms of every glossary term in the key's groups (as the words field holds them)."""
    return frozenset(
        term for other in synonym_group_terms(key) for term in word_terms(other, synonyms=False)
    )


def _shared(word: Word, terms: set[str]) -> bool:
    """The word matched: its own term, or a term of its glossary group, is among the terms."""
    if not word.term:
        return False
    if word.term in terms:
        return True
    return bool(_group_word_terms(word.surface) & terms or _group_word_terms(word.term) & terms)


def _runs(tokens: tuple[Word, ...], shared: list[bool]) -> list[tuple[int, int]]:
    """[first, last] token positions of runs of shared words, with the affixes beside them."""
    runs: list[list[int]] = []
    for index, flag in enumerate(shared):
        if not flag:
            continue
        if runs and runs[-1][1] == index - 1:
            runs[-1][1] = index
        else:
            runs.append([index, index])
    for run in runs:
        # A prefix before the run belongs to it (各 + 学校); a suffix there belongs to the word
        # before it (人 + 流 of 人流データ), so the run does not reach back over it.
        while (
            run[0] > 0
            and tokens[run[0] - 1].is_affix
            and tokens[run[0] - 1].pos.startswith("接頭詞")
            and not shared[run[0] - 1]
        ):
            run[0] -= 1
        while run[1] + 1 < len(tokens) and tokens[run[1] + 1].is_affix:
            if tokens[run[1] + 1].pos.startswith("接頭詞"):
                break
            run[1] += 1
    return [(first, last) for first, last in runs]


# Verbs and adjectives match as base forms (使わ of 使わず is 使う) but name nothing a reader
# can tell a match by: a phrase needs a noun.
_NAMING_NOTHING = ("動詞", "形容詞", "助動詞")


@lru_cache(maxsize=1)
def _glossary_inner_words() -> frozenset[str]:
    """Words that stand in the glossary only inside a term of several words ("over" of
    "watch over"): matched alone, they say nothing of the term."""
    inner = set()
    for group in synonym_groups():
        for term in group:
            parts = term.split()
            if len(parts) > 1:
                inner.update(part for part in parts if not synonym_group_terms(part))
    return frozenset(inner)


def _names_something(run: tuple[Word, ...]) -> bool:
    """Whether a run of shared words is worth naming in a reason (see the two rules above)."""
    if all(token.pos.startswith(_NAMING_NOTHING) for token in run if token.term):
        return False
    named = [token.term for token in run if token.term]
    return not (len(named) == 1 and named[0] in _glossary_inner_words())


def word_phrases(text: str, terms: set[str], *, limit: int = 3) -> list[str]:
    """The text's phrases made of whole shared words, longest first (see the module); runs of
    verbs and adjectives only, and a lone word of a several-word glossary term, are left out."""
    if not text or not terms:
        return []
    folded, positions = folded_with_positions(text)
    tokens = text_words(folded)
    shared = [_shared(token, terms) for token in tokens]
    seen: dict[str, int] = {}
    for first, last in _runs(tokens, shared):
        if not _names_something(tokens[first : last + 1]):
            continue
        start = positions[tokens[first].start]
        end_folded = tokens[last].end
        end = positions[end_folded] if end_folded < len(positions) else len(text)
        phrase = text[start:end].strip()
        if len(phrase) >= 2:
            seen.setdefault(phrase, len(phrase))
    return sorted(seen, key=lambda p: (-seen[p], p))[:limit]


def non_word_phrases(text: str, phrases: list[str]) -> list[str]:
    """The phrases that are neither glossary terms nor runs of the text's whole words.

    A phrase passes when it is empty of nothing, and either is a glossary term or occurs in
    the text starting and ending on the analyser's word boundaries.
    """
    folded = normalise(text)
    boundaries = {0, len(folded)}
    for token in words(folded):
        boundaries.update((token.start, token.end))
    wrong = []
    for phrase in phrases:
        key = normalise(phrase).strip()
        if not key:
            wrong.append(phrase)
            continue
        if synonym_group_terms(key):
            continue
        found = False
        start = folded.find(key)
        while start >= 0 and not found:
            found = start in boundaries and start + len(key) in boundaries
            start = folded.find(key, start + 1)
        if not found:
            wrong.append(phrase)
    return wrong
