"""What every search backend does: the operations index sync and the search page call.

A backend is an index of the public documents (search.documents). Index sync writes it
(upsert, delete, replace_all, vectors_update), check_index compares it (hashes) and the
search page reads it (search_page: one page of hits with the total and the facet counts,
filtered and counted by the backend itself; search: every hit ranked). Which class answers is chosen by SEARCH_BACKEND through
search.backends.get_backend; no caller asks which one it got.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

# The search page's facets: "type" is the document type, the others are index columns.
FACETS = ("type", "field", "municipality", "technology", "sdg", "theme", "dataset", "status")


class SearchHit(Protocol):
    """One ranked document as the search page reads it (a stored entry or a cluster's hit)."""

    doc_type: str
    object_id: int
    title: str
    summary: str
    description: str
    url: str


@dataclass(frozen=True)
class SearchQuery:
    """One page of a search: the text, the facet choices, the slice and the entries to leave out.

    ``hidden`` holds (doc type, object id) of entries the index may still hold although the
    database has withdrawn them (their change is still in the outbox): they are neither
    listed nor counted. Every part of the text must be found (search.query_units);
    with ``any_part`` one part is enough (the page's second try when all together find
    nothing).
    """

    text: str
    doc_types: tuple[str, ...]
    filters: dict[str, str] = field(default_factory=dict)  # facet → chosen value
    offset: int = 0
    limit: int = 10
    hidden: frozenset[tuple[str, int]] = frozenset()
    any_part: bool = False


@dataclass
class SearchPage:
    """What a backend answers for a SearchQuery.

    ``total`` counts the hits that pass every facet choice, ``matched`` the hits before any
    choice; ``facets`` gives facet → value → count, each facet counted with the other facets'
    choices applied (so a count equals what clicking it lists).
    """

    hits: list[tuple["SearchHit", float]]
    total: int
    matched: int
    facets: dict[str, dict[str, int]]


class SearchBackend(ABC):
    """An index of the public documents, written by index sync and read by the search page."""

    name: ClassVar[str]

    @abstractmethod
    def search(self, query: str, *, doc_types: tuple[str, ...]) -> list[tuple[SearchHit, float]]:
        """Documents of the given types ranked for a free-text query: [(hit, score)]."""

    @abstractmethod
    def search_page(self, query: SearchQuery) -> SearchPage:
        """One page of ranked hits with the total and facet counts, all computed by the backend."""

    @abstractmethod
    def upsert(self, doc_type: str, object_id: int, document: dict) -> None:
        """Store or replace one document."""

    @abstractmethod
    def delete(self, doc_type: str, object_id: int) -> None:
        """Remove one document; a missing one is fine."""

    @abstractmethod
    def hashes(self, doc_type: str) -> dict[int, str]:
        """object id → content hash of everything indexed of the type."""

    @abstractmethod
    def replace_all(self, doc_type: str, documents: dict[int, dict]) -> None:
        """Swap the whole set of one type at once (readers never see it half built)."""

    @abstractmethod
    def vectors_update(self, items: list[tuple[str, int, object]]) -> None:
        """Hand over the centred vectors computed later for indexed documents."""
