"""The embedded backend: index entries stored in the database, shared by every web process."""

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from search.analysis import analyze, analyze_fields, analyze_like
from search.backends.base import SearchBackend
from search.bm25 import INDEX_FIELDS, TEXT_FIELDS, BM25Index
from search.models import DocumentVector, IndexedDocument, VectorCentroid

STORED = (
    "title",
    "summary",
    "description",
    "fields",
    "technologies",
    "municipalities",
    "stage",
    "status",
    "language",
    "published_at",
    "url",
    "vector_key",
    "content_hash",
)


class EmbeddedBackend(SearchBackend):
    """Writes and reads index entries in the site's database."""

    name = "embedded"

    def health(self) -> str:
        """A word on the store; raises (a database error) when its table cannot be read."""
        IndexedDocument.objects.only("pk").first()
        return "embedded"

    def search(self, query: str, *, doc_types: tuple[str, ...]):
        """Entries ranked for a free-text query: [(entry, score)]."""
        return search_entries(query, doc_types=doc_types)

    def upsert(self, doc_type: str, object_id: int, document: dict) -> None:
        """Store or replace one entry."""
        IndexedDocument.objects.update_or_create(
            doc_type=doc_type, object_id=object_id, defaults={key: document[key] for key in STORED}
        )

    def delete(self, doc_type: str, object_id: int) -> None:
        """Remove one entry if present."""
        IndexedDocument.objects.filter(doc_type=doc_type, object_id=object_id).delete()

    def hashes(self, doc_type: str) -> dict[int, str]:
        """object id → content hash of everything indexed of the type."""
        return dict(
            IndexedDocument.objects.filter(doc_type=doc_type).values_list(
                "object_id", "content_hash"
            )
        )

    def vectors_update(self, items: list[tuple[str, int, object]]) -> None:
        """New vectors were stored for these entries: mark them changed so snapshots reload."""
        for doc_type in {doc_type for doc_type, _, _ in items}:
            ids = [object_id for kind, object_id, _ in items if kind == doc_type]
            IndexedDocument.objects.filter(doc_type=doc_type, object_id__in=ids).update(
                indexed_at=timezone.now()
            )

    @transaction.atomic
    def replace_all(self, doc_type: str, documents: dict[int, dict]) -> None:
        """Swap the whole set of one type in a single transaction (readers never see it half built)."""
        IndexedDocument.objects.filter(doc_type=doc_type).delete()
        IndexedDocument.objects.bulk_create(
            [
                IndexedDocument(
                    doc_type=doc_type, object_id=object_id, **{key: doc[key] for key in STORED}
                )
                for object_id, doc in documents.items()
            ],
            batch_size=500,
        )


class Snapshot:
    """The stored entries of this process, with their BM25 indices and sentence vectors.

    Rebuilt when any web process changed the stored entries or the centroids, so every
    process serves the same index. The search page reads the indices; matching builds its
    sides on the same indices and vectors instead of analysing everything a second time.
    """

    def __init__(self, key, entries):
        self.key = key
        self.entries = {(e.doc_type, e.object_id): e for e in entries}
        self.ordered: dict[str, list[IndexedDocument]] = {}
        self.indices: dict[str, BM25Index] = {}
        seen = set()
        for entry in entries:
            self.ordered.setdefault(entry.doc_type, []).append(entry)
            index = self.indices.setdefault(
                entry.doc_type, BM25Index(INDEX_FIELDS, vocabulary=_vocabulary)
            )
            cache_key = (entry.doc_type, entry.object_id)
            seen.add(cache_key)
            cached = _analysed.get(cache_key)
            if cached is None or cached[0] != entry.content_hash:
                # Only new or changed entries are analysed; the rest reuse their term counts.
                analysed = analyze_fields({name: getattr(entry, name) for name in TEXT_FIELDS})
                counts = {name: index.counts_of(tokens) for name, tokens in analysed.items()}
                cached = _analysed[cache_key] = (entry.content_hash, counts)
            index.add_counts(str(entry.object_id), cached[1])
        for gone in set(_analysed) - seen:
            del _analysed[gone]
        self.vectors = DocumentVector.objects.vectors_of(
            e.vector_key for e in entries if e.vector_key
        )
        self.centroids = VectorCentroid.objects.vectors()


_snapshot: Snapshot | None = None
# Kept across snapshots of this process: the shared term ids and each entry's term counts.
_vocabulary: dict[str, int] = {}
_analysed: dict[tuple[str, int], tuple[str, dict]] = {}


def entries_state() -> tuple:
    """What changes whenever any process adds, changes or removes a stored entry."""
    state = IndexedDocument.objects.aggregate(
        n=Count("pk"), latest=Max("indexed_at"), top=Max("pk")
    )
    return (state["n"], state["latest"], state["top"])


def snapshot_key() -> tuple:
    """What changes whenever any process changes the stored entries, vectors or centroids."""
    centroids = VectorCentroid.objects.aggregate(latest=Max("updated_at"))["latest"]
    return (*entries_state(), centroids)


def current_snapshot() -> Snapshot:
    """The process's snapshot, refreshed when the stored entries changed."""
    global _snapshot
    key = snapshot_key()
    if _snapshot is None or _snapshot.key != key:
        _snapshot = Snapshot(key, list(IndexedDocument.objects.order_by("doc_type", "object_id")))
    return _snapshot


def search_entries(
    query: str, *, doc_types: tuple[str, ...]
) -> list[tuple[IndexedDocument, float]]:
    """Stored entries of the given types ranked by BM25 for the query text."""
    if not analyze(query):
        return []
    terms = analyze_like(query)
    snapshot = current_snapshot()
    ranked = []
    for doc_type in doc_types:
        index = snapshot.indices.get(doc_type)
        if index is None:
            continue
        for object_id, per_field in index.text_scores(terms).items():
            ranked.append((snapshot.entries[(doc_type, int(object_id))], sum(per_field.values())))
    ranked.sort(key=lambda pair: (-pair[1], pair[0].doc_type, pair[0].object_id))
    return ranked
