"""What makes a good match, expressed once as named clauses that each backend executes.

A suggestion's score is the sum of its clauses, times a freshness factor:

- semantic: the documents' sentence vectors point the same way (language shift removed, see
  search.vectors); carries most of the weight, and is what connects a resident's plain words
  with a vendor's term, or a Japanese challenge with an English profile. Only the nearest
  SEMANTIC_CANDIDATES documents receive it, as an approximate kNN search would.
- text: the telling words of the source (its top terms by tf × idf, as more-like-this picks
  them) found in the target, BM25 over title, summary and description, saturated so that a
  long text cannot outweigh meaning.
- same_field, shared_technology (per technology), same_municipality (track record where the
  challenge is), stage_fit (the offer's stage suits the desired stage): fixed amounts.

Hard filters: only the other kind, only open challenges, never the source itself or what the
caller excludes (organisations that already proposed). Weights were set on the labelled
development sets (benchmarks/README.md); the municipality and stage weights are not measured
there (the sets carry no such data) and are kept small on purpose.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

import numpy as np

from search.analysis import analyze, canonical_term
from search.bm25 import TEXT_FIELDS
from search.models import IndexedDocument
from search.vectors import centred

WEIGHTS = {
    "semantic": 1.0,  # × (1 + cosine of the centred vectors)
    "text": 0.05,  # × bm25 / (bm25 + TEXT_SATURATION)
    "same_field": 0.05,
    "shared_technology": 0.015,  # per shared technology
    "same_municipality": 0.02,
    "stage_fit": 0.01,
}
TEXT_SATURATION = 10.0
MAX_QUERY_TERMS = 32
SEMANTIC_CANDIDATES = 100

# Multiplier 1 − FRESHNESS_SHARE × (1 − gauss(age)): a year-old document loses a few per cent.
FRESHNESS_SHARE = 0.1
FRESHNESS_OFFSET_DAYS = 90
FRESHNESS_SCALE_DAYS = 365
FRESHNESS_DECAY = 0.5

CLAUSE_LABELS = {
    "semantic": _("内容の意味が近い"),
    "text": _("共通の語句"),
    "same_field": _("同じ分野"),
    "shared_technology": _("共通の技術"),
    "same_municipality": _("同じ市町村での導入実績"),
    "stage_fit": _("目指す段階に合う提供段階"),
}

# Which offer stages suit which desired stage.
STAGE_FIT = {"poc": ("poc_ready", "in_service"), "implementation": ("in_service",)}


@dataclass
class Reason:
    """One clause that contributed to a suggestion."""

    clause: str
    score: float
    detail: str = ""

    @property
    def label(self) -> str:
        """The clause's name for people, with its detail."""
        text = str(CLAUSE_LABELS[self.clause])
        return f"{text}: {self.detail}" if self.detail else text


@dataclass
class Suggestion:
    """A ranked counterpart with its total score, its reasons and the phrases both share."""

    doc_id: str
    score: float
    reasons: list[Reason] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)


@dataclass
class Profile:
    """A challenge or a solution as matching sees it, whatever it was built from."""

    id: str
    kind: str  # "challenge" or "solution"
    title: str
    summary: str = ""
    description: str = ""
    fields: list[str] = field(default_factory=list)
    technologies: list[str] = field(default_factory=list)
    municipalities: list[str] = field(default_factory=list)
    stage: str = ""
    status: str = ""  # "open" or "closed" for challenges
    language: str = "ja"
    published_at: datetime | None = None
    vector: np.ndarray | None = None  # the raw sentence vector, when computed


def profile_of(entry: IndexedDocument, vector=None) -> Profile:
    """A stored index entry as matching sees it."""
    return Profile(
        id=f"{entry.doc_type}:{entry.object_id}",
        kind=entry.doc_type,
        title=entry.title,
        summary=entry.summary,
        description=entry.description,
        fields=list(entry.fields),
        technologies=list(entry.technologies),
        municipalities=list(entry.municipalities),
        stage=entry.stage,
        status=entry.status,
        language=entry.language or "ja",
        published_at=entry.published_at,
        vector=vector,
    )


@dataclass
class MatchQuery:
    """One matching request, ready for a backend to execute."""

    source_id: str
    target_kind: str
    text: str  # the source's text, for backends that pick its telling terms themselves
    terms: tuple[tuple[str, str], ...] = ()  # (field, term) pairs, picked in process
    vector: np.ndarray | None = None
    fields: tuple[str, ...] = ()
    technologies: tuple[str, ...] = ()  # canonical forms
    municipalities: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()  # target stages that fit
    open_only: bool = True
    exclude: frozenset[str] = frozenset()
    text_only: bool = False


def target_kind_of(kind: str) -> str:
    """Solutions for a challenge, challenges for a solution."""
    return "solution" if kind == "challenge" else "challenge"


def stages_that_fit(source_kind: str, source_stage: str) -> tuple[str, ...]:
    """The target stages that earn stage_fit, from either side."""
    if source_kind == "challenge":
        return STAGE_FIT.get(source_stage, ())
    return tuple(desired for desired, offers in STAGE_FIT.items() if source_stage in offers)


def freshness_array(ages_days: np.ndarray) -> np.ndarray:
    """Freshness factors for ages in days (NaN: unknown date, factor 1)."""
    distance = np.maximum(0.0, np.nan_to_num(ages_days, nan=0.0) - FRESHNESS_OFFSET_DAYS)
    gauss = np.power(FRESHNESS_DECAY, (distance / FRESHNESS_SCALE_DAYS) ** 2)
    return 1.0 - FRESHNESS_SHARE * (1.0 - gauss)


def saturated_text(bm25):
    """The text clause's share of its weight: bm25 / (bm25 + k)."""
    return WEIGHTS["text"] * bm25 / (bm25 + TEXT_SATURATION)


def build_query(
    source: Profile,
    *,
    centroids: dict,
    exclude=frozenset(),
    text_only: bool = False,
) -> MatchQuery:
    """The request for a profile's counterparts: clauses and filters, without picked terms.

    The text-only baseline keeps every term of the text (no synonyms) on boosted fields.
    """
    text = " ".join(part for part in (source.title, source.summary, source.description) if part)
    vector = None
    if not text_only and source.vector is not None:
        vector = centred(source.vector, source.language, centroids) if centroids else source.vector
    terms = ()
    if text_only:
        terms = tuple(
            (name, term)
            for term in dict.fromkeys(analyze(text, synonyms=False))
            for name in TEXT_FIELDS
        )
    return MatchQuery(
        source_id=source.id,
        target_kind=target_kind_of(source.kind),
        text=text,
        terms=terms,
        vector=vector,
        fields=tuple(source.fields),
        technologies=tuple(dict.fromkeys(canonical_term(t) for t in source.technologies)),
        municipalities=tuple(source.municipalities),
        stages=stages_that_fit(source.kind, source.stage),
        exclude=frozenset(exclude) | {source.id},
        text_only=text_only,
    )
