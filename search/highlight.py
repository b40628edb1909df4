"""Highlighting for the search page: the words of a query marked in a result's own text.

A backend that returns its own fragments (Elasticsearch) has them shown as they are (see
``marked``); otherwise the page's text is marked here, folding width and case and following the
synonym list like the analysis does. Besides literal text, whole words of the text are marked
when they matched as words do (``word_spans``): a spelling variant (サーバ for サーバー, 取組 for
取り組み), another inflection (見守る for 見守っ), or a glossary equivalent; and a result's
technology is marked wherever its name stands when the query named it by any of its names.
"""

import html
import re
from functools import lru_cache

from django.utils.safestring import mark_safe

from search.analysis import (
    canonical_term,
    folded_with_positions,
    normalise,
    synonym_group_terms,
    synonym_groups,
    word_terms,
    words,
)

_LATIN_RUN = re.compile(r"[a-z0-9]+")
_CJK_RUN = re.compile(r"[^\sa-z0-9!-/:-@\[-`{-~、。・「」（）【】]+")


def highlight_terms(query: str) -> list[str]:
    """Words to mark for a query: its words and runs, and the synonyms they stand for."""
    return list(_highlight_terms(query))


@lru_cache(maxsize=256)
def _highlight_terms(query: str) -> tuple[str, ...]:
    # A page marks the same query in twenty texts: the synonym list is scanned once for it.
    folded = normalise(query)
    terms = set(folded.split())
    terms.update(_LATIN_RUN.findall(folded))
    terms.update(_CJK_RUN.findall(folded))
    for group in synonym_groups():
        if any(_contains(folded, term) for term in group):
            terms.update(group)
    return tuple(sorted((t for t in terms if t.strip()), key=len, reverse=True))


def _contains(text: str, term: str) -> bool:
    if term.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", text) is not None
    return term in text


def _spans(folded: str, terms: list[str]) -> list[tuple[int, int]]:
    spans = []
    for term in terms:
        if term.isascii():
            pattern = rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])"
        else:
            pattern = re.escape(term)
        spans.extend(m.span() for m in re.finditer(pattern, folded))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def word_spans(folded: str, query: str) -> list[tuple[int, int]]:
    """Spans of the folded text's whole words whose term the query's words (glossary included)
    also have: spelling variants, inflections and glossary equivalents."""
    wanted = set(word_terms(query))
    if not wanted:
        return []
    spans = []
    for word in words(folded):
        if not word.term:
            continue
        group = synonym_group_terms(word.surface) | synonym_group_terms(word.term)
        if word.term in wanted or any(
            t in wanted for g in group for t in word_terms(g, synonyms=False)
        ):
            spans.append((word.start, word.end))
    return spans


def technology_terms(query: str, technologies: list[str]) -> list[str]:
    """The names of the result's technologies that the query names in any spelling."""
    folded = normalise(query)
    asked = {canonical_term(t) for t in highlight_terms(query)} | {canonical_term(folded)}
    found = []
    for name in technologies or ():
        if canonical_term(name) in asked:
            found.append(normalise(name))
            found.extend(synonym_group_terms(name))
    return found


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def highlight(
    text: str, query: str, *, length: int = 160, technologies: list[str] | None = None
) -> str:
    """A snippet of the text around the first match, with matching words marked.

    Matching folds width and case and follows the synonym list, so a search for drone marks
    ドローン and ﾄﾞﾛｰﾝ as well; whole words that match as words (variants, inflections) and the
    result's technologies that the query names are marked too; everything else is HTML-escaped.
    """
    text = text or ""
    folded, starts = folded_with_positions(text)
    terms = highlight_terms(query) + technology_terms(query, technologies or [])
    spans = []
    for start, end in _merged(_spans(folded, terms) + word_spans(folded, query)):
        original_end = starts[end] if end < len(starts) else len(text)
        spans.append((starts[start], original_end))
    window_start = max(0, spans[0][0] - 30) if spans else 0
    window_end = min(len(text), window_start + length)
    pieces, cursor = [], window_start
    for start, end in spans:
        start, end = max(start, window_start), min(end, window_end)
        if start >= end:
            continue
        pieces.append(html.escape(text[cursor:start]))
        pieces.append(f"<mark>{html.escape(text[start:end])}</mark>")
        cursor = end
    pieces.append(html.escape(text[cursor:window_end]))
    prefix = "…" if window_start else ""
    suffix = "…" if window_end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)


_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def _unmarked(fragment: str) -> tuple[str, list[tuple[int, int]]]:
    """A backend's fragment as plain text, with the spans its <mark> tags covered."""
    text, spans = [], []
    cursor = length = 0
    for match in _MARK.finditer(fragment):
        before = html.unescape(fragment[cursor : match.start()])
        inside = html.unescape(match.group(1))
        text += [before, inside]
        length += len(before)
        spans.append((length, length + len(inside)))
        length += len(inside)
        cursor = match.end()
    text.append(html.unescape(fragment[cursor:]))
    return "".join(text), spans


def marked(fragment: str, query: str = "", *, technologies: list[str] | None = None) -> str:
    """A backend's highlight fragment (HTML-escaped, with only <mark> added), with what the
    shared rules mark added to what the backend marked.

    The backend chose the fragment and marked the tokens it matched (on its bigram fields a
    variant such as サーバー for サーバ comes back marked in part); the words that match as words
    do, the glossary's equivalents and the result's technologies are marked here as on the
    embedded backend, so both backends mark the same things.
    """
    text, spans = _unmarked(fragment)
    if query:
        folded, starts = folded_with_positions(text)
        terms = highlight_terms(query) + technology_terms(query, technologies or [])
        for start, end in _merged(_spans(folded, terms) + word_spans(folded, query)):
            spans.append((starts[start], starts[end] if end < len(starts) else len(text)))
    pieces, cursor = [], 0
    for start, end in _merged(spans):
        pieces.append(html.escape(text[cursor:start]))
        pieces.append(f"<mark>{html.escape(text[start:end])}</mark>")
        cursor = end
    pieces.append(html.escape(text[cursor:]))
    return mark_safe("".join(pieces))
