"""The Elasticsearch matching backend: the clauses of matching.query as one request.

Each clause is a named query, so the response says which held and what each scored
(`include_named_queries_score`): semantic is a kNN query on the centred vectors (score
(1 + cos) / 2, hence boost 2 × weight), text is more-like-this on the source's text wrapped
in a script that saturates it like the embedded engine, the structured clauses are constant
scores on keyword fields, and freshness is a function score on the publication date.
ElasticsearchMatching serves the site's suggestions from the cluster (the embedded matcher
standing in when it fails), and PercolatorAlertMatcher keeps the alert rules as stored
queries of the percolator index.
"""

import logging
import re
import uuid
from contextlib import contextmanager

import numpy as np
from elastic_transport import TransportError
from elasticsearch import ApiError, helpers

from matching.alerts import InterestRule, interests_active
from matching.backends.base import AlertMatcher, MatchingBackend, Suggester
from matching.backends.embedded import EmbeddedMatching
from matching.explain import word_phrases
from matching.query import (
    FRESHNESS_DECAY,
    FRESHNESS_OFFSET_DAYS,
    FRESHNESS_SCALE_DAYS,
    FRESHNESS_SHARE,
    MAX_QUERY_TERMS,
    SEMANTIC_CANDIDATES,
    TEXT_SATURATION,
    WEIGHTS,
    MatchQuery,
    Profile,
    Reason,
    Suggestion,
    build_query,
    profile_of,
)
from search.analysis import word_terms
from search.backends.elasticsearch import alias_name, new_client, new_index, technology_keys
from search.backends.percolator import PercolatorIndex, percolator_document
from search.bm25 import INDEX_FIELDS, TEXT_FIELDS, WORD_FIELDS
from search.models import DocumentVector, IndexedDocument, VectorCentroid
from search.vectors import centred, centroids_estimate

logger = logging.getLogger(__name__)

SOURCE_FIELDS = [
    "doc_type",
    "object_id",
    "title",
    "summary",
    "description",
    "fields",
    "technologies",
    "technology_keys",
    "municipalities",
    "stage",
    "status",
]


def _filters(query: MatchQuery) -> list[dict]:
    filters = [{"term": {"doc_type": query.target_kind}}]
    if query.open_only and query.target_kind == "challenge":
        filters.append({"bool": {"must_not": {"term": {"status": "closed"}}}})
    return filters


def _constant(filter_: dict, weight: float, name: str) -> dict:
    return {"constant_score": {"filter": filter_, "boost": weight, "_name": name}}


def match_body(query: MatchQuery, *, size: int = 10) -> dict:
    """The request body of one matching query."""
    must_not = [{"ids": {"values": sorted(query.exclude)}}] if query.exclude else []
    if query.text_only:
        return {
            "size": size,
            "query": {
                "bool": {
                    "must": {
                        "multi_match": {
                            "query": query.text,
                            "type": "most_fields",
                            "fields": [
                                f"{name}.plain^{boost:g}" for name, boost in TEXT_FIELDS.items()
                            ],
                            "_name": "text",
                        }
                    },
                    "filter": _filters(query),
                    "must_not": must_not,
                }
            },
            "_source": SOURCE_FIELDS,
        }
    should = [
        {
            "script_score": {
                "query": {
                    "more_like_this": {
                        "fields": list(INDEX_FIELDS),
                        "like": query.text,
                        "max_query_terms": MAX_QUERY_TERMS,
                        "min_term_freq": 1,
                        "min_doc_freq": 1,
                    }
                },
                "script": {
                    "source": "params.w * _score / (_score + params.k)",
                    "params": {"w": WEIGHTS["text"], "k": TEXT_SATURATION},
                },
                "_name": "text",
            }
        }
    ]
    if query.vector is not None:
        should.append(
            {
                "knn": {
                    "field": "vector",
                    "query_vector": [round(float(x), 6) for x in query.vector],
                    "k": SEMANTIC_CANDIDATES,
                    "num_candidates": 2 * SEMANTIC_CANDIDATES,
                    "filter": _filters(query),
                    "boost": 2 * WEIGHTS["semantic"],
                    "_name": "semantic",
                }
            }
        )
    if query.fields:
        should.append(
            _constant(
                {"terms": {"fields": list(query.fields)}}, WEIGHTS["same_field"], "same_field"
            )
        )
    for number, key in enumerate(query.technologies):
        should.append(
            _constant(
                {"term": {"technology_keys": key}},
                WEIGHTS["shared_technology"],
                f"shared_technology.{number}",
            )
        )
    if query.municipalities:
        should.append(
            _constant(
                {"terms": {"municipalities": list(query.municipalities)}},
                WEIGHTS["same_municipality"],
                "same_municipality",
            )
        )
    if query.stages:
        should.append(
            _constant({"terms": {"stage": list(query.stages)}}, WEIGHTS["stage_fit"], "stage_fit")
        )
    return {
        "size": size,
        "query": {
            "function_score": {
                "query": {
                    "bool": {
                        "should": should,
                        "minimum_should_match": 1,
                        "filter": _filters(query),
                        "must_not": must_not,
                    }
                },
                "functions": [
                    {
                        "gauss": {
                            "published_at": {
                                "origin": "now",
                                "offset": f"{FRESHNESS_OFFSET_DAYS}d",
                                "scale": f"{FRESHNESS_SCALE_DAYS}d",
                                "decay": FRESHNESS_DECAY,
                            }
                        },
                        "weight": FRESHNESS_SHARE,
                    },
                    {"weight": 1 - FRESHNESS_SHARE},
                ],
                "score_mode": "sum",
                "boost_mode": "multiply",
            }
        },
        "_source": SOURCE_FIELDS,
        "highlight": {
            "pre_tags": ["<em>"],
            "post_tags": ["</em>"],
            "number_of_fragments": 3,
            "fragment_size": 80,
            "fields": {name: {} for name in WORD_FIELDS},
        },
    }


_EM = re.compile(r"<em>(.*?)</em>", re.S)


def _highlighted_phrases(highlight: dict, source: dict, *, limit: int = 3) -> list[str]:
    """The shared whole-word phrases of a hit: the words its highlight marks in the ``words``
    sub-fields, read as the embedded matcher reads them (matching.explain.word_phrases)."""
    terms: set[str] = set()
    for fragments in highlight.values():
        for fragment in fragments:
            for marked in _EM.findall(fragment):
                terms.update(word_terms(marked, synonyms=False))
    text = "\n".join(source.get(name) or "" for name in TEXT_FIELDS)
    return word_phrases(text, terms, limit=limit)


def parse_match_response(response: dict, query: MatchQuery) -> list[Suggestion]:
    """Suggestions with reasons from a matching response (named clause scores per hit)."""
    suggestions = []
    for hit in response.get("hits", {}).get("hits", []):
        source = hit.get("_source", {})
        named = hit.get("matched_queries") or {}
        if isinstance(named, list):  # a cluster that does not return clause scores
            named = dict.fromkeys(named, 0.0)
        scores: dict[str, float] = {}
        for name, score in named.items():
            clause = name.split(".", 1)[0]
            scores[clause] = scores.get(clause, 0.0) + float(score or 0.0)
        phrases = _highlighted_phrases(hit.get("highlight") or {}, source)
        reasons = []
        for clause, score in scores.items():
            detail = ""
            if clause == "text":
                if not phrases:  # the score counts; a reason names at least one word
                    continue
                detail = "、".join(phrases)
            elif clause == "same_field":
                detail = ", ".join(sorted(set(query.fields) & set(source.get("fields", []))))
            elif clause == "shared_technology":
                keys = set(query.technologies) & set(source.get("technology_keys", []))
                detail = ", ".join(sorted(keys))
            elif clause == "same_municipality":
                places = set(query.municipalities) & set(source.get("municipalities", []))
                detail = ", ".join(sorted(places))
            reasons.append(Reason(clause, score, detail))
        reasons.sort(key=lambda r: -r.score)
        suggestions.append(
            Suggestion(
                doc_id=hit["_id"],
                score=float(hit.get("_score") or 0.0),
                reasons=reasons,
                phrases=phrases,
            )
        )
    return suggestions


class ElasticsearchMatcher:
    """Runs matching queries against an index (the site's alias, or a throw-away one)."""

    def __init__(self, client, index: str, *, centroids: dict):
        self.client = client
        self.index = index
        self.centroids = centroids

    def execute(self, query: MatchQuery, *, limit: int = 10) -> list[Suggestion]:
        """Send one query and read its suggestions."""
        response = self.client.search(
            index=self.index, body=match_body(query, size=limit), include_named_queries_score=True
        )
        body = response.body if hasattr(response, "body") else response
        return parse_match_response(body, query)

    def suggest(
        self, source: Profile, *, limit: int = 10, text_only: bool = False, exclude=frozenset()
    ) -> list[Suggestion]:
        """The best counterparts of a profile."""
        query = build_query(source, centroids=self.centroids, exclude=exclude, text_only=text_only)
        return self.execute(query, limit=limit)


def profile_source(profile: Profile, centroids: dict) -> dict:
    """A labelled profile as an index document (for a throw-away evaluation index)."""
    source = {
        "doc_type": profile.kind,
        "object_id": 0,
        "title": profile.title,
        "summary": profile.summary,
        "description": profile.description,
        "fields": profile.fields,
        "technologies": profile.technologies,
        "technology_keys": technology_keys(profile.technologies),
        "municipalities": profile.municipalities,
        "stage": profile.stage,
        "status": profile.status,
        "language": profile.language,
    }
    if profile.vector is not None:
        vector = centred(profile.vector, profile.language, centroids)
        source["vector"] = [round(float(x), 6) for x in vector]
    return source


@contextmanager
def throwaway_matcher(profiles: list[Profile], *, text_only: bool = False, client=None):
    """A temporary index holding the profiles, deleted afterwards; yields its matcher."""
    client = client or new_client()
    name = f"{alias_name()}-evaluation-{uuid.uuid4().hex[:10]}"
    vectors = {}
    for p in profiles:
        if p.vector is not None:
            vectors.setdefault(p.language, []).append(p.vector)
    centroids = centroids_estimate({k: np.stack(v) for k, v in vectors.items()})
    new_index(name).create(using=client)
    try:
        helpers.bulk(
            client,
            (
                {"_index": name, "_id": p.id, "_source": profile_source(p, centroids)}
                for p in profiles
            ),
            refresh=True,
        )
        yield ElasticsearchMatcher(client, name, centroids=centroids)
    finally:
        client.options(ignore_status=404).indices.delete(index=name)


# --- The site's backend -------------------------------------------------------------------------


class _ClusterSuggester:
    """Suggestions computed by the cluster, with the source read from the stored index; the
    centroids are read once, at the first suggestion."""

    def __init__(self, client):
        self.client = client
        self._matcher: ElasticsearchMatcher | None = None

    def suggest(
        self, doc_id: str, *, limit: int = 10, exclude=frozenset(), explain: bool = True
    ) -> list[Suggestion]:
        """Counterparts of the stored document `doc_id` ("challenge:5"), always with their
        reasons (the cluster's answer names its clauses whatever `explain` asks)."""
        doc_type, _, object_id = doc_id.partition(":")
        entry = IndexedDocument.objects.filter(doc_type=doc_type, object_id=object_id).first()
        if entry is None:
            return []
        vector = DocumentVector.objects.vectors_of([entry.vector_key]).get(entry.vector_key)
        source = profile_of(entry, vector)
        if self._matcher is None:
            self._matcher = ElasticsearchMatcher(
                self.client, alias_name(), centroids=VectorCentroid.objects.vectors()
            )
        try:
            return self._matcher.suggest(source, limit=limit, exclude=exclude)
        except (ApiError, TransportError) as exc:
            # The stored index is always complete: suggestions stay available in process.
            logger.warning("Elasticsearch matching failed (%s); using the embedded matcher.", exc)
            return EmbeddedMatching().suggest(doc_id, limit=limit, exclude=exclude)

    def explain(self, doc_id: str, suggestions: list[Suggestion], *, exclude=frozenset()):
        """The suggestions as they are: the cluster gave their reasons with them."""
        return list(suggestions)


class PercolatorAlertMatcher(AlertMatcher):
    """Stores every active rule as a percolator query and asks Elasticsearch which match.

    Before each percolation the stored queries are reconciled with the database (missing or
    changed rules stored, switched-off or deleted ones removed), so a rule saved while the
    cluster was unreachable is never missed. Errors surface as PercolatorUnavailable.
    """

    name = "elasticsearch"
    stores_rules = True

    def __init__(self, index: PercolatorIndex | None = None):
        self.index = index or PercolatorIndex()

    def wanted(self) -> dict[int, tuple[dict, str]]:
        """query id → (query, version) for every active, non-empty rule in the database."""
        result = {}
        for interest in interests_active():
            rule = InterestRule.of(interest)
            if not rule.is_empty:
                result[interest.pk] = (rule.query(), rule.version())
        return result

    def sync(self) -> int:
        """Bring the stored queries in line with the database; returns how many changed."""
        self.index.ensure_alias()
        wanted = self.wanted()
        stored = self.index.versions()
        changed = 0
        for query_id, (query, version) in wanted.items():
            if stored.get(query_id) != version:
                self.index.store(query_id, query, version)
                changed += 1
        for query_id in set(stored) - set(wanted):
            self.index.delete(query_id)
            changed += 1
        if changed:
            self.index.refresh()
        return changed

    def rebuild(self) -> int:
        """Load every rule into a fresh percolator index (after an analyzer or synonym change)."""
        wanted = self.wanted()
        self.index.replace_all(wanted)
        return len(wanted)

    def matching_interest_ids(self, document: dict) -> list[int]:
        """Ids of the stored queries matching the index document, after a reconcile."""
        self.sync()
        return self.index.percolate(percolator_document(document))


class ElasticsearchMatching(MatchingBackend):
    """Suggestions from the cluster through one client; alert rules in its percolator index."""

    name = "elasticsearch"

    def __init__(self, client=None):
        self._client = client

    @property
    def client(self):
        """The cluster's client, made at the first suggestion (alert rules use their own)."""
        if self._client is None:
            self._client = new_client()
        return self._client

    def suggester(self) -> Suggester:
        """A suggester reading the centroids at its first suggestion."""
        return _ClusterSuggester(self.client)

    def alert_matcher(self) -> AlertMatcher:
        """The rules as stored queries of the percolator index."""
        return PercolatorAlertMatcher()
