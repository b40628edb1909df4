"""Alerts for saved interests: the rule, expressed once, and the two places it runs.

An interest matches a challenge when every criterion it fills in holds: the challenge's field
is one of its fields, the challenge shares one of its technologies, the challenge is in one of
its municipalities, and the challenge's text contains one of its keywords (every word of that
keyword, after the shared analysis of search.analysis: width and case folded, CJK bigrams, the
synonym list, so ドローン, ﾄﾞﾛｰﾝ and drone are the same keyword).

`InterestRule.matches` evaluates the rule in process (the embedded backend); `InterestRule.query`
writes the same rule as an Elasticsearch query, stored in the percolator index of
search.backends.percolator. Where the rules run is the matching backend's alert matcher
(matching.backends: EmbeddedAlertMatcher, PercolatorAlertMatcher), chosen by SEARCH_BACKEND
through `matching.backends.get_alert_matcher`.
"""

import hashlib
import json
import logging
from dataclasses import dataclass

from django.db.models import QuerySet

from matching.models import Interest
from search.analysis import analyze, normalise
from search.backends.percolator import (
    FIELDS,
    MUNICIPALITIES,
    TECHNOLOGIES,
    TEXT,
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
