"""The parts of a search that must each be found (both backends and the search page read this).

A query is cut at spaces and symbols; a glossary term of several Latin words stays one part. A
part is found in a document when one field holds all of its tokens, or all of one of its
glossary equivalents' (search.backends.embedded._unit_found, search.backends.es_requests).
"""

import re

from search.analysis import normalise, synonym_lookup, word_terms

# What separates the parts of a search: spaces, and symbols other than those the tokenizer keeps
# inside a Latin word (3.5, it's).
_QUERY_SEPARATORS = re.compile(r"[\s!-&(-\-/:-@\[-`{-~、。・「」『』【】〈〉《》]+")


def _glossary_span(parts: list[str], index: int, latin: dict) -> tuple[int, str]:
    """The longest Latin glossary term of several words starting at parts[index], if any."""
    best = (1, parts[index])
    for sequence, term in latin.get(parts[index], ()):
        if len(sequence) > best[0] and tuple(parts[index : index + len(sequence)]) == sequence:
            best = (len(sequence), term)
    return best


def query_units(text: str) -> list[str]:
    """The parts of a search that must each be found: the words between spaces and symbols,
    with a Latin glossary term of several words ("smart city") kept as one; parts without a
    content word (particles, "the") are dropped, unless nothing else is left.

    A part is found in a document when one field holds all of its tokens, or all of one of its
    glossary equivalents' (both backends apply the same rule; alerts do it per keyword).
    """
    parts = [part for part in _QUERY_SEPARATORS.split(normalise(text)) if part]
    latin = synonym_lookup()[0]  # Latin glossary terms as word sequences, by their first word
    units, index = [], 0
    while index < len(parts):
        span, unit = _glossary_span(parts, index, latin)
        units.append(unit)
        index += span
    kept = [unit for unit in units if word_terms(unit, synonyms=False)]
    return kept or ([" ".join(parts)] if parts else [])
