"""What every matching backend does: suggest counterparts, and run the alert rules.

A matching backend executes matching.query's clauses (suggestions, with reasons) and the
rule of matching.alerts (which saved interests a new challenge fits) where the configured
search backend keeps the documents: in process over the embedded store, or on Elasticsearch.
matching.backends.get_matching chooses it by SEARCH_BACKEND; no caller asks which one it got.
"""

from abc import ABC, abstractmethod
from typing import ClassVar, Protocol

from matching.query import Suggestion


class Suggester(Protocol):
    """Suggestions over one reading of the index: reuse it for the many suggestions of a page."""

    def suggest(
        self,
        doc_id: str,
        *,
        limit: int = 10,
        exclude: frozenset[str] = frozenset(),
        explain: bool = True,
    ) -> list[Suggestion]:
        """Counterparts of the stored document `doc_id` ("challenge:5"), best first.

        With ``explain=False`` a backend may leave out the reasons (``explain`` adds them
        to the few a page shows).
        """

    def explain(
        self, doc_id: str, suggestions: list[Suggestion], *, exclude: frozenset[str] = frozenset()
    ) -> list[Suggestion]:
        """The given suggestions of `doc_id` (from ``suggest``) with their reasons."""


class AlertMatcher(ABC):
    """Where the alert rules of saved interests run."""

    name: ClassVar[str]
    # Whether the rules are also stored outside the database (and so can be rebuilt there).
    stores_rules: ClassVar[bool]

    @abstractmethod
    def sync(self) -> int:
        """Bring the stored rules in line with the database; returns how many changed."""

    @abstractmethod
    def rebuild(self) -> int:
        """Store every rule afresh; returns how many were stored."""

    @abstractmethod
    def matching_interest_ids(self, document: dict) -> list[int]:
        """Ids of the active interests whose rule holds for an index document."""


class MatchingBackend(ABC):
    """Suggestions and alert rules, executed by one engine."""

    name: ClassVar[str]

    @abstractmethod
    def suggester(self) -> Suggester:
        """A suggester reading the index as it is now (its state, vectors and centroids)."""

    @abstractmethod
    def alert_matcher(self) -> AlertMatcher:
        """Where this backend runs the alert rules."""

    def suggest(
        self, doc_id: str, *, limit: int = 10, exclude: frozenset[str] = frozenset()
    ) -> list[Suggestion]:
        """Counterparts of one stored document (a suggester used once)."""
        return self.suggester().suggest(doc_id, limit=limit, exclude=exclude)
