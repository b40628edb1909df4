"""What every search backend does: the operations index sync and the search page call.

A backend is an index of the public documents (search.documents). Index sync writes it
(upsert, delete, replace_all, vectors_update), check_index compares it (hashes) and the
search page reads it (search). Which class answers is chosen by SEARCH_BACKEND through
search.backends.get_backend; no caller asks which one it got.
"""

from abc import ABC, abstractmethod
from typing import ClassVar, Protocol


class SearchHit(Protocol):
    """One ranked document as the search page reads it (a stored entry or a cluster's hit)."""

    doc_type: str
    object_id: int
    title: str
    summary: str
    description: str
    url: str


class SearchBackend(ABC):
    """An index of the public documents, written by index sync and read by the search page."""

    name: ClassVar[str]

    @abstractmethod
    def search(self, query: str, *, doc_types: tuple[str, ...]) -> list[tuple[SearchHit, float]]:
        """Documents of the given types ranked for a free-text query: [(hit, score)]."""

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
