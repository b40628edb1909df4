"""Reasons named for people: the codes a backend puts in a reason's detail, as names.

Backends write what they compare: field slugs, municipality codes, technology spellings
(the target's, or the canonical form). A page names the reasons of what it shows with one
query per vocabulary (``reason_vocabulary``), then every reason is named by pure functions
that return new reasons and leave the suggestions they were given untouched.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.utils.translation import get_language

from forum.models import Field, Municipality, Technology
from matching.query import Reason, Suggestion
from search.analysis import canonical_term

NAMED_CLAUSES = ("same_field", "same_municipality", "shared_technology")
# How a backend separates the codes of one reason, and the phrases of a text reason.
CODE_SEPARATOR = ", "
PHRASE_SEPARATOR = "、"


@dataclass(frozen=True)
class ReasonVocabulary:
    """The names of the codes some reasons carry, and how the page's language joins them."""

    fields: dict[str, Field] = field(default_factory=dict)
    places: dict[str, Municipality] = field(default_factory=dict)
    technologies: dict[str, Technology] = field(default_factory=dict)
    separator: str = PHRASE_SEPARATOR


def _codes(reason: Reason) -> list[str]:
    return reason.detail.split(CODE_SEPARATOR) if reason.detail else []


def codes_by_clause(suggestions: Iterable[Suggestion]) -> dict[str, set[str]]:
    """The codes the named clauses of these suggestions carry, per clause."""
    found: dict[str, set[str]] = {clause: set() for clause in NAMED_CLAUSES}
    for suggestion in suggestions:
        for reason in suggestion.reasons:
            if reason.clause in found:
                found[reason.clause].update(code for code in _codes(reason) if code)
    return found


def _technologies_by_spelling() -> dict[str, Technology]:
    """Every technology under its names and their canonical forms."""
    spellings: dict[str, Technology] = {}
    for technology in Technology.objects.all():
        for spelling in (technology.name_ja, technology.name_en):
            if spelling:
                spellings.setdefault(spelling, technology)
                spellings.setdefault(canonical_term(spelling), technology)
    return spellings


def separator_for_language(language: str | None) -> str:
    """How names are joined in the page's language."""
    return PHRASE_SEPARATOR if (language or "ja").startswith("ja") else CODE_SEPARATOR


def reason_vocabulary(codes: dict[str, set[str]]) -> ReasonVocabulary:
    """The names of the given codes, read with one query per vocabulary that has any."""
    return ReasonVocabulary(
        fields={f.slug: f for f in Field.objects.filter(slug__in=codes["same_field"])},
        places={
            m.code: m for m in Municipality.objects.filter(code__in=codes["same_municipality"])
        },
        technologies=_technologies_by_spelling() if codes["shared_technology"] else {},
        separator=separator_for_language(get_language()),
    )


def _field_names(codes: list[str], vocabulary: ReasonVocabulary) -> str:
    order = {slug: f.sort_order for slug, f in vocabulary.fields.items()}
    ordered = sorted(codes, key=lambda slug: order.get(slug, 999))
    return vocabulary.separator.join(
        str(vocabulary.fields[c]) for c in ordered if c in vocabulary.fields
    )


def _place_names(codes: list[str], vocabulary: ReasonVocabulary) -> str:
    return vocabulary.separator.join(
        str(vocabulary.places[c]) for c in codes if c in vocabulary.places
    )


def _technology_names(codes: list[str], vocabulary: ReasonVocabulary) -> str:
    known = vocabulary.technologies
    return vocabulary.separator.join(
        str(known.get(c) or known.get(canonical_term(c)) or c) for c in codes
    )


_NAMERS: dict[str, Callable[[list[str], ReasonVocabulary], str]] = {
    "same_field": _field_names,
    "same_municipality": _place_names,
    "shared_technology": _technology_names,
}


def named_reason(reason: Reason, vocabulary: ReasonVocabulary) -> Reason:
    """The reason with its codes named (and a text reason's phrases joined for the language)."""
    namer = _NAMERS.get(reason.clause)
    if namer is not None:
        return replace(reason, detail=namer(_codes(reason), vocabulary))
    if reason.clause == "text" and vocabulary.separator != PHRASE_SEPARATOR:
        return replace(reason, detail=reason.detail.replace(PHRASE_SEPARATOR, vocabulary.separator))
    return reason


def named_suggestion(suggestion: Suggestion, vocabulary: ReasonVocabulary) -> Suggestion:
    """The suggestion with every reason named."""
    return replace(suggestion, reasons=[named_reason(r, vocabulary) for r in suggestion.reasons])


def readable_reasons(suggestions: list[Suggestion]) -> list[Suggestion]:
    """New suggestions whose reasons name their codes, with one query per vocabulary.

    When no reason carries a code, nothing is read; text reasons are still joined for the
    page's language.
    """
    codes = codes_by_clause(suggestions)
    if any(codes.values()):
        vocabulary = reason_vocabulary(codes)
    else:
        vocabulary = ReasonVocabulary(separator=separator_for_language(get_language()))
    return [named_suggestion(s, vocabulary) for s in suggestions]
