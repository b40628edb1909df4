"""Alerts for saved interests: the rule, expressed once, and the two places it runs.

An interest matches a challenge when every criterion it fills in holds: the challenge's field
is one of its fields, the challenge shares one of its technologies, the challenge is in one of
its municipalities, and the challenge's text contains one of its keywords (every word of that
keyword, after the shared analysis of search.analysis: width and case folded, CJK bigrams, the
synonym list, so ドローン, ﾄﾞﾛｰﾝ and drone are the same keyword).

`InterestRule.matches` evaluates the rule in process (the embedded backend); `InterestRule.query`
writes the same rule as an Elasticsearch query, stored in the percolator index of
search.backends.percolator. Which runs is chosen by SEARCH_BACKEND through `get_alert_matcher`.
"""

import hashlib
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils.module_loading import import_string

from matching.models import Interest
from search.analysis import analyze, normalise
from search.backends.percolator import (
    FIELDS,
    MUNICIPALITIES,
    TECHNOLOGIES,
    TEXT,
    PercolatorIndex,
    percolator_document,
)

logger = logging.getLogger(__name__)

MAX_KEYWORDS = 20
MAX_KEYWORD_LENGTH = 50


def keyword_tokens(keyword: str) -> tuple[str, ...]:
    """The tokens a keyword must all find in a challenge's text."""
    return tuple(dict.fromkeys(analyze(keyword, synonyms=False)))


@dataclass(frozen=True)
class AlertDocument:
    """A challenge as the rule reads it: its analysed text and its structured values."""

    tokens: frozenset[str]
    fields: frozenset[str]
    technologies: frozenset[str]
    municipalities: frozenset[str]

    @classmethod
    def of(cls, document: dict) -> "AlertDocument":
        """Analyse an index document (search.documents) once for every rule to read."""
        shown = percolator_document(document)
        return cls(
            tokens=frozenset(analyze(shown[TEXT])),
            fields=frozenset(shown[FIELDS]),
            technologies=frozenset(shown[TECHNOLOGIES]),
            municipalities=frozenset(shown[MUNICIPALITIES]),
        )


@dataclass(frozen=True)
class InterestRule:
    """The criteria of one interest, in the values the index stores."""

    fields: frozenset[str] = frozenset()  # field slugs
    technologies: frozenset[str] = frozenset()  # Japanese technology names, as indexed
    municipalities: frozenset[str] = frozenset()  # local government codes
    keywords: tuple[str, ...] = ()

    @classmethod
    def of(cls, interest: Interest) -> "InterestRule":
        """The rule of a saved interest (prefetch its relations when reading many)."""
        return cls(
            fields=frozenset(f.slug for f in interest.fields.all()),
            technologies=frozenset(t.name_ja for t in interest.technologies.all()),
            municipalities=frozenset(m.code for m in interest.municipalities.all()),
            keywords=tuple(interest.keywords or ()),
        )

    @property
    def is_empty(self) -> bool:
        """A rule without criteria would match everything, so it matches nothing."""
        return not (self.fields or self.technologies or self.municipalities or self.keywords)

    def matches(self, document: AlertDocument) -> bool:
        """Evaluate the rule in process."""
        if self.is_empty:
            return False
        if self.fields and not self.fields & document.fields:
            return False
        if self.technologies and not self.technologies & document.technologies:
            return False
        if self.municipalities and not self.municipalities & document.municipalities:
            return False
        if self.keywords:
            return any(
                (tokens := keyword_tokens(keyword)) and set(tokens) <= document.tokens
                for keyword in self.keywords
            )
        return True

    def query(self) -> dict:
        """The same rule as an Elasticsearch query for the percolator index."""
        clauses = []
        for name, values in (
            (FIELDS, self.fields),
            (TECHNOLOGIES, self.technologies),
            (MUNICIPALITIES, self.municipalities),
        ):
            if values:
                clauses.append({"terms": {name: sorted(values)}})
        if self.keywords:
            clauses.append(
                {
                    "bool": {
                        "should": [
                            {
                                "match": {
                                    TEXT: {
                                        "query": normalise(keyword),
                                        "operator": "and",
                                        "auto_generate_synonyms_phrase_query": False,
                                    }
                                }
                            }
                            for keyword in self.keywords
                        ],
                        "minimum_should_match": 1,
                    }
                }
            )
        if not clauses:
            return {"match_none": {}}
        return {"bool": {"filter": clauses}}

    def version(self) -> str:
        """A fingerprint of the stored query: a changed rule has a new version."""
        body = json.dumps(self.query(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]


def interests_active() -> QuerySet[Interest]:
    """Interests that are switched on, ready to build their rules."""
    return Interest.objects.filter(is_active=True, owner__is_active=True).prefetch_related(
        "fields", "technologies", "municipalities"
    )


def interests_for_user(user) -> QuerySet[Interest]:
    """The user's own saved interests, newest change first."""
    return Interest.objects.filter(owner=user).prefetch_related(
        "fields", "technologies", "municipalities"
    )


class EmbeddedAlertMatcher:
    """Runs every active rule in process against the document."""

    name = "embedded"

    def sync(self) -> int:
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


class PercolatorAlertMatcher:
    """Stores every active rule as a percolator query and asks Elasticsearch which match.

    Before each percolation the stored queries are reconciled with the database (missing or
    changed rules stored, switched-off or deleted ones removed), so a rule saved while the
    cluster was unreachable is never missed. Errors surface as PercolatorUnavailable.
    """

    name = "elasticsearch"

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


ALERT_MATCHERS = {
    "embedded": "matching.alerts.EmbeddedAlertMatcher",
    "elasticsearch": "matching.alerts.PercolatorAlertMatcher",
}


def get_alert_matcher():
    """The matcher for the configured backend (SEARCH_BACKEND, default embedded)."""
    name = getattr(settings, "SEARCH_BACKEND", "embedded")
    return import_string(ALERT_MATCHERS[name])()
