"""The embedded matching backend: matching.query's clauses executed in process, on arrays.

The Matcher holds one side per kind (challenges, solutions): a BM25 index, the centred
sentence vectors, and boolean masks for fields, technologies, municipalities and stages, so
that one suggestion costs a handful of vector operations whatever the number of documents.
Both the site (over the stored index, see site_matcher) and the evaluation (over a labelled
file) use it. EmbeddedMatching serves the site's suggestions from it, and
EmbeddedAlertMatcher runs the alert rules of saved interests in process.
"""

import logging
from collections.abc import Mapping
from datetime import datetime

from django.conf import settings
from django.db import connections
from django.utils import timezone

import numpy as np

from matching.alerts import AlertDocument, InterestRule, interests_active
from matching.analysis_cache import query_tokens
from matching.backends.base import AlertMatcher, MatchingBackend, Suggester
from matching.backends.shared import MaskQueries, SnapshotInvalid, analysis_adopt, shared_matcher
from matching.explain import word_phrases
from matching.query import (
    MAX_QUERY_TERMS,
    SEMANTIC_CANDIDATES,
    WEIGHTS,
    MatchQuery,
    Profile,
    Reason,
    Suggestion,
    build_query,
    freshness_array,
    profile_of,
    saturated_text,
)
from search.analysis import analyze_fields, canonical_term, word_terms
from search.backends.embedded import current_snapshot, snapshot_key
from search.bm25 import INDEX_FIELDS, TEXT_FIELDS, WORD_SUFFIX, BM25Index
from search.models import IndexedDocument
from search.vectors import centred_rows, centroids_estimate

logger = logging.getLogger(__name__)


class _Side(MaskQueries):
    """Everything about one kind of document that a query reads, as arrays."""

    def __init__(
        self,
        profiles: list[Profile],
        *,
        synonyms: bool,
        centroids: dict,
        index: BM25Index | None = None,
    ):
        self.profiles = profiles
        self.ids = [p.id for p in profiles]
        self.position = {doc_id: i for i, doc_id in enumerate(self.ids)}
        self.index = self._text_index(profiles, synonyms=synonyms, index=index)
        self.has_vector = np.array([p.vector is not None for p in profiles], dtype=bool)
        self.vectors = self._centred_vectors(profiles, self.has_vector, centroids)
        self.masks = {"fields": {}, "technologies": {}, "municipalities": {}, "stages": {}}
        self.technology_names: list[dict[str, str]] = []
        for position, profile in enumerate(profiles):
            self._add_masks(position, profile)
        self.open = np.array([p.status != "closed" for p in profiles], dtype=bool)
        self.published = np.array(
            [p.published_at.timestamp() if p.published_at else np.nan for p in profiles],
            dtype=np.float64,
        )

    @staticmethod
    def _text_index(profiles, *, synonyms: bool, index: BM25Index | None) -> BM25Index:
        """The profiles' BM25 index: the shared one when given (it must hold exactly them)."""
        if index is not None:
            if len(index) != len(profiles):
                raise ValueError("a shared index must hold exactly the profiles, in their order")
            return index
        index = BM25Index(INDEX_FIELDS)
        for profile in profiles:
            index.add(
                profile.id,
                analyze_fields(
                    {name: getattr(profile, name) for name in TEXT_FIELDS}, synonyms=synonyms
                ),
            )
        return index

    @staticmethod
    def _centred_vectors(profiles, has_vector: np.ndarray, centroids: dict) -> np.ndarray:
        """One row per profile: its vector less its language's centroid, zeros when it has none."""
        rows = [p.vector if p.vector is not None else np.zeros(1) for p in profiles]
        dims = next((len(v) for v in rows if len(v) > 1), 0)
        vectors = np.zeros((len(profiles), dims), dtype=np.float32)
        if dims and has_vector.any():
            chosen = np.flatnonzero(has_vector)
            raw = np.stack([profiles[i].vector for i in chosen]).astype(np.float32)
            vectors[chosen] = centred_rows(raw, [profiles[i].language for i in chosen], centroids)
        return vectors

    def _add_masks(self, position: int, profile: Profile) -> None:
        """Mark the profile in the masks of its fields, technologies, places and stage."""
        for slug in profile.fields:
            self._mask("fields", slug)[position] = True
        names = {}
        for name in profile.technologies:
            key = canonical_term(name)
            names.setdefault(key, name)
            self._mask("technologies", key)[position] = True
        self.technology_names.append(names)
        for code in profile.municipalities:
            self._mask("municipalities", code)[position] = True
        if profile.stage:
            self._mask("stages", profile.stage)[position] = True

    def _mask(self, kind: str, key: str) -> np.ndarray:
        masks = self.masks[kind]
        if key not in masks:
            masks[key] = np.zeros(len(self.profiles), dtype=bool)
        return masks[key]


class Matcher:
    """Two sides, challenges and solutions, queried with the same clauses each way.

    Vectors are compared after taking away their language's centroid. The site passes the
    stored centroids (so that Elasticsearch and this matcher agree); without them, as in an
    evaluation, they are estimated from the profiles given.
    """

    def __init__(
        self,
        profiles: list[Profile],
        *,
        synonyms: bool = True,
        centroids: dict[str, np.ndarray] | None = None,
        indices: dict[str, BM25Index] | None = None,
    ):
        self.synonyms = synonyms
        self.profiles = {p.id: p for p in profiles}
        if centroids is None:
            by_language: dict[str, list] = {}
            for p in profiles:
                if p.vector is not None:
                    by_language.setdefault(p.language, []).append(p.vector)
            centroids = centroids_estimate({k: np.stack(v) for k, v in by_language.items()})
        self.centroids = centroids
        self.sides = {
            kind: _Side(
                [p for p in profiles if p.kind == kind],
                synonyms=synonyms,
                centroids=centroids,
                index=(indices or {}).get(kind),
            )
            for kind in ("challenge", "solution")
        }

    @classmethod
    def from_sides(cls, sides: dict, *, profiles, centroids: dict, synonyms: bool = True):
        """A matcher over sides built elsewhere (mapped from a shared snapshot, see shared.py).

        `profiles` maps each "kind:id" to its Profile; `centroids` are the ones the sides'
        vectors were centred with.
        """
        matcher = cls.__new__(cls)
        matcher.synonyms = synonyms
        matcher.profiles = profiles
        matcher.centroids = centroids
        matcher.sides = sides
        return matcher

    def query_for(
        self, source: Profile, *, exclude=frozenset(), text_only: bool = False
    ) -> MatchQuery:
        """The request that finds counterparts of a profile (the same for every backend)."""
        query = build_query(source, centroids=self.centroids, exclude=exclude, text_only=text_only)
        if not text_only:
            tokens = query_tokens(query.text, synonyms=self.synonyms)
            query.terms = tuple(telling_terms(tokens, self.sides[query.target_kind].index))
        return query

    def suggest(
        self,
        source: Profile,
        *,
        limit: int = 10,
        text_only: bool = False,
        exclude=frozenset(),
        now: datetime | None = None,
        explain: bool = True,
    ) -> list[Suggestion]:
        """The best counterparts of a profile (solutions for a challenge, challenges for a solution)."""
        query = self.query_for(source, exclude=exclude, text_only=text_only)
        return self.execute(query, limit=limit, now=now, explain=explain)

    def score(self, query: MatchQuery, *, now=None) -> tuple[dict, np.ndarray]:
        """Every clause's values and the total for every document of the target side."""
        side = self.sides[query.target_kind]
        if query.text_only:  # the plain baseline: every term, boosted fields, nothing else
            bm25 = side.index.score_array([term for _, term in query.terms])
            return {"text": bm25}, bm25.copy()
        bm25 = side.index.score_pairs(list(query.terms))
        clauses = self._clauses(side, query, bm25)
        total = np.sum(list(clauses.values()), axis=0)
        now = now or timezone.now()
        ages = (now.timestamp() - side.published) / 86400
        return clauses, total * freshness_array(ages)

    def execute(
        self,
        query: MatchQuery,
        *,
        limit: int = 10,
        now=None,
        explain: bool = True,
        only: frozenset[str] | None = None,
        scored: tuple[dict, np.ndarray] | None = None,
    ) -> list[Suggestion]:
        """Score every document of the target side and return the best, with reasons.

        Without `explain` the suggestions carry their scores only (reasons cost more than
        ranking: a caller that shows a few of many asks for theirs afterwards); `only` keeps
        the candidates to these ids, with the scores they have among all; `scored` is what
        ``score`` gave for this query, when the caller kept it.
        """
        side = self.sides[query.target_kind]
        if not len(side.ids):
            return []
        clauses, total = scored if scored is not None else self.score(query, now=now)
        candidates = np.flatnonzero(self._allowed(side, query, total, only))
        if not len(candidates):
            return []
        if len(candidates) > limit:
            top = candidates[np.argpartition(-total[candidates], limit - 1)[:limit]]
        else:
            top = candidates
        ranked = sorted(top, key=lambda i: (-float(total[i]), side.ids[i]))
        if not explain:
            return [Suggestion(side.ids[i], float(total[i])) for i in ranked]
        return [self._explain(side, query, i, clauses, float(total[i])) for i in ranked]

    @staticmethod
    def _allowed(side: _Side, query: MatchQuery, total: np.ndarray, only) -> np.ndarray:
        """Which documents may be suggested: scored, open, not excluded, among `only`."""
        allowed = total > 0
        if query.open_only and query.target_kind == "challenge":
            allowed &= side.open
        for doc_id in query.exclude:
            position = side.position.get(doc_id)
            if position is not None:
                allowed[position] = False
        if only is not None:
            chosen = np.zeros(len(side.ids), dtype=bool)
            for doc_id in only:
                position = side.position.get(doc_id)
                if position is not None:
                    chosen[position] = True
            allowed &= chosen
        return allowed

    def _clauses(self, side: _Side, query: MatchQuery, bm25: np.ndarray) -> dict[str, np.ndarray]:
        count = len(side.ids)
        clauses = {"text": saturated_text(bm25).astype(np.float32)}
        semantic = np.zeros(count, dtype=np.float32)
        if query.vector is not None and side.has_vector.any():
            similarity = side.vectors @ query.vector.astype(np.float32)
            similarity[~side.has_vector] = -np.inf
            if count > SEMANTIC_CANDIDATES:
                nearest = np.argpartition(-similarity, SEMANTIC_CANDIDATES - 1)[
                    :SEMANTIC_CANDIDATES
                ]
            else:
                nearest = np.arange(count)
            nearest = nearest[np.isfinite(similarity[nearest])]
            semantic[nearest] = WEIGHTS["semantic"] * (1.0 + similarity[nearest])
        clauses["semantic"] = semantic
        clauses["same_field"] = WEIGHTS["same_field"] * side.any_of("fields", query.fields)
        clauses["shared_technology"] = WEIGHTS["shared_technology"] * side.count_of(
            "technologies", query.technologies
        )
        clauses["same_municipality"] = WEIGHTS["same_municipality"] * side.any_of(
            "municipalities", query.municipalities
        )
        clauses["stage_fit"] = WEIGHTS["stage_fit"] * side.any_of("stages", query.stages)
        return clauses

    def _explain(self, side: _Side, query: MatchQuery, position: int, clauses, total) -> Suggestion:
        target = side.profiles[position]
        reasons = []
        phrases = []
        for clause, values in clauses.items():
            score = float(values[position])
            if score <= 0:
                continue
            detail = ""
            if clause == "text":
                terms = {term for name, term in query.terms if name.endswith(WORD_SUFFIX)}
                if query.text_only:  # the baseline queries bigrams only
                    terms = set(word_terms(query.text, synonyms=False))
                phrases = word_phrases(
                    f"{target.title}\n{target.summary}\n{target.description}", terms
                )
                if not phrases and not query.text_only:
                    continue  # the score counts; a reason shown names at least one word
                detail = "、".join(phrases)
            elif clause == "same_field":
                detail = ", ".join(sorted(set(query.fields) & set(target.fields)))
            elif clause == "shared_technology":
                names = side.technology_names[position]
                detail = ", ".join(sorted(names[k] for k in query.technologies if k in names))
            elif clause == "same_municipality":
                detail = ", ".join(sorted(set(query.municipalities) & set(target.municipalities)))
            reasons.append(Reason(clause, score, detail))
        reasons.sort(key=lambda r: -r.score)
        return Suggestion(target.id, total, reasons, phrases)


def telling_terms(
    tokens_by_field: dict[str, list[str]], index: BM25Index, *, limit: int = MAX_QUERY_TERMS
) -> list[tuple[str, str]]:
    """The source's most telling (field, term) pairs against an index, as more-like-this picks
    them: the term's frequency in the source text as that field's analyser reads it × the
    term's classic idf in that field of the target index (1 + ln(N / (df + 1))), terms absent
    from the target field left out. Fields the mapping lacks are ignored."""
    if not len(index):
        return []
    scored = []
    for field_name, tokens in tokens_by_field.items():
        if field_name not in index.boosts or not tokens:
            continue
        counts: dict[str, int] = {}
        for term in tokens:
            counts[term] = counts.get(term, 0) + 1
        terms = sorted(counts)
        tf = np.array([counts[t] for t in terms], dtype=np.float32)
        df = index.document_frequencies(terms)[field_name]
        idf = 1.0 + np.log(len(index) / (df + 1))
        for position in np.flatnonzero(df > 0):
            scored.append((-float(tf[position] * idf[position]), field_name, terms[position]))
    scored.sort()
    return [(field_name, term) for _, field_name, term in scored[:limit]]


# --- The site's matcher and the backend -----------------------------------------------------

_cache: dict = {}


class StoredEntries(Mapping):
    """The stored index entries of suggested documents, read from the database when asked for.

    A page reads the few it shows (``entries_of`` for several at once); nothing is held per
    document in the process.
    """

    def entries_of(self, doc_ids) -> dict[str, IndexedDocument]:
        """The stored entries of these "kind:id" documents, with one query per kind."""
        by_type: dict[str, list[int]] = {}
        for doc_id in doc_ids:
            doc_type, _, object_id = str(doc_id).partition(":")
            if object_id.isdigit():
                by_type.setdefault(doc_type, []).append(int(object_id))
        return {
            f"{entry.doc_type}:{entry.object_id}": entry
            for doc_type, ids in by_type.items()
            for entry in IndexedDocument.objects.filter(doc_type=doc_type, object_id__in=ids)
        }

    def __getitem__(self, doc_id: str) -> IndexedDocument:
        found = self.entries_of([doc_id])
        if doc_id not in found:
            raise KeyError(doc_id)
        return found[doc_id]

    def __iter__(self):
        for doc_type, object_id in IndexedDocument.objects.filter(
            doc_type__in=("challenge", "solution")
        ).values_list("doc_type", "object_id"):
            yield f"{doc_type}:{object_id}"

    def __len__(self) -> int:
        return IndexedDocument.objects.filter(doc_type__in=("challenge", "solution")).count()


def matcher_in_memory() -> tuple[tuple, Matcher]:
    """The matcher built in this process from the search snapshot: (its version, matcher)."""
    snapshot = current_snapshot()
    profiles = [
        profile_of(entry, snapshot.vectors.get(entry.vector_key))
        for doc_type in ("challenge", "solution")
        for entry in snapshot.ordered.get(doc_type, [])
    ]
    matcher = Matcher(profiles, centroids=snapshot.centroids or None, indices=snapshot.indices)
    return snapshot.key, matcher


def _matcher_for(key: tuple) -> tuple[tuple, Matcher]:
    """The matcher of an index version: mapped from the machine's shared snapshot where it
    can be (see shared.py), else built in this process."""
    # A version token names its content for good; a scan of an index never written through
    # the store does not, so only tokens get a file.
    if key[0] == "version" and getattr(settings, "MATCHING_SHARED_SNAPSHOT", True):
        current = (_cache["key"], _cache["matcher"]) if "matcher" in _cache else None
        try:
            return shared_matcher(key, matcher_in_memory, current=current, matcher_class=Matcher)
        except (OSError, SnapshotInvalid):
            logger.warning("The shared matching snapshot is unavailable.", exc_info=True)
    return matcher_in_memory()


def _analysis_adopt() -> None:
    """Take over the term counts of the machine's newest shared snapshot, if there is one."""
    if not getattr(settings, "MATCHING_SHARED_SNAPSHOT", True):
        return
    try:
        analysis_adopt()
    except OSError:
        logger.warning("Stored term counts could not be read.", exc_info=True)


def site_matcher() -> tuple[Matcher, StoredEntries]:
    """The matcher over the stored index, taken up again in this process when it changed."""
    key = snapshot_key()
    if _cache.get("key") != key:
        built_key, matcher = _matcher_for(key)
        _cache.update(key=built_key, matcher=matcher, entries=StoredEntries())
    return _cache["matcher"], _cache["entries"]


class _SiteSuggester:
    """Suggestions from one reading of the site's matcher, taken at the first suggestion.

    Its clock is read once too, and the scores of each query are kept, so suggestions ranked
    first and explained later (``explain``) carry the same scores without scoring again.
    """

    def __init__(self):
        self._matcher: Matcher | None = None
        self._now = timezone.now()
        self._queries: dict[tuple[str, frozenset], tuple[MatchQuery, tuple]] = {}

    def _scored(self, doc_id: str, exclude) -> tuple[MatchQuery, tuple] | None:
        if self._matcher is None:
            self._matcher, _ = site_matcher()
        key = (doc_id, frozenset(exclude))
        if key not in self._queries:
            source = self._matcher.profiles.get(doc_id)
            if source is None:
                return None
            query = self._matcher.query_for(source, exclude=exclude)
            self._queries[key] = (query, self._matcher.score(query, now=self._now))
        return self._queries[key]

    def suggest(
        self, doc_id: str, *, limit: int = 10, exclude=frozenset(), explain: bool = True
    ) -> list[Suggestion]:
        """Counterparts of the stored document `doc_id` ("challenge:5")."""
        found = self._scored(doc_id, exclude)
        if found is None:
            return []
        query, scored = found
        return self._matcher.execute(query, limit=limit, explain=explain, scored=scored)

    def explain(
        self, doc_id: str, suggestions: list[Suggestion], *, exclude=frozenset()
    ) -> list[Suggestion]:
        """The given suggestions of `doc_id`, found with ``explain=False``, with their reasons."""
        found = self._scored(doc_id, exclude)
        if found is None or not suggestions:
            return list(suggestions)
        query, scored = found
        only = frozenset(s.doc_id for s in suggestions)
        explained = {
            s.doc_id: s
            for s in self._matcher.execute(query, limit=len(only), only=only, scored=scored)
        }
        return [explained.get(s.doc_id, s) for s in suggestions]


class EmbeddedAlertMatcher(AlertMatcher):
    """Runs every active rule in process against the document."""

    name = "embedded"
    stores_rules = False

    def sync(self) -> int:
        """Nothing is stored outside the database."""
        return 0

    def rebuild(self) -> int:
        """Nothing is stored outside the database."""
        return 0

    def matching_interest_ids(self, document: dict) -> list[int]:
        """Ids of the active interests whose rule holds for the index document."""
        analysed = AlertDocument.of(document)
        return sorted(
            interest.pk
            for interest in interests_active()
            if InterestRule.of(interest).matches(analysed)
        )


class EmbeddedMatching(MatchingBackend):
    """Suggestions computed in process over the stored index; alert rules run in process."""

    name = "embedded"

    def suggester(self) -> Suggester:
        """A suggester over the site's matcher as the stored index is at its first use."""
        return _SiteSuggester()

    def alert_matcher(self) -> AlertMatcher:
        """The rules run in process."""
        return EmbeddedAlertMatcher()


def site_matcher_warm() -> bool:
    """Build the search snapshot and the site's matcher now, before the first request needs them.

    The web server calls this once in its master process before it starts the workers
    (config/gunicorn.py): the search snapshot is shared with the workers until they write to
    it, and the matcher's version is written to the machine's shared snapshot (shared.py),
    which every worker maps instead of building. A failure (no database yet) only leaves the
    work to the first request. Returns whether it built them.
    """
    try:
        _analysis_adopt()
        current_snapshot()  # the search page's, which the workers share with the master
        site_matcher()
    except Exception:
        logger.warning("Could not build the matcher ahead of the first request.", exc_info=True)
        return False
    finally:
        connections.close_all()  # no connection may cross into the forked workers
    return True
