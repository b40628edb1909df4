"""The embedded backend: index entries stored in the database, shared by every web process."""

from django.db import transaction

from search.models import IndexedDocument

STORED = (
    "title",
    "summary",
    "description",
    "fields",
    "technologies",
    "municipalities",
    "stage",
    "url",
    "content_hash",
)


class EmbeddedBackend:
    """Writes and reads index entries in the site's database."""

    name = "embedded"

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


class _Snapshot:
    """In-memory BM25 indices of the stored entries, rebuilt when the stored set changes."""

    def __init__(self, key, entries):
        from matching.query import TEXT_FIELDS
        from search.analysis import analyze
        from search.engine import BM25Index

        self.key = key
        self.entries = {(e.doc_type, e.object_id): e for e in entries}
        self.indices = {}
        for entry in entries:
            index = self.indices.setdefault(entry.doc_type, BM25Index(TEXT_FIELDS))
            index.add(
                str(entry.object_id),
                {name: analyze(getattr(entry, name)) for name in TEXT_FIELDS},
            )


_snapshot: _Snapshot | None = None


def _current_snapshot() -> _Snapshot:
    """The process's snapshot, refreshed when any web process changed the stored entries."""
    global _snapshot
    from django.db.models import Count, Max

    state = IndexedDocument.objects.aggregate(
        n=Count("pk"), latest=Max("indexed_at"), top=Max("pk")
    )
    key = (state["n"], state["latest"], state["top"])
    if _snapshot is None or _snapshot.key != key:
        _snapshot = _Snapshot(key, list(IndexedDocument.objects.all()))
    return _snapshot


def search_entries(
    query: str, *, doc_types: tuple[str, ...]
) -> list[tuple[IndexedDocument, float]]:
    """Stored entries of the given types ranked by BM25 for the query text."""
    from search.analysis import analyze

    terms = analyze(query)
    if not terms:
        return []
    snapshot = _current_snapshot()
    ranked = []
    for doc_type in doc_types:
        index = snapshot.indices.get(doc_type)
        if index is None:
            continue
        for object_id, per_field in index.text_scores(terms).items():
            ranked.append((snapshot.entries[(doc_type, int(object_id))], sum(per_field.values())))
    ranked.sort(key=lambda pair: (-pair[1], pair[0].doc_type, pair[0].object_id))
    return ranked
