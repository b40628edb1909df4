"""The embedded backend: index entries stored in the database, shared by every web process."""

import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

import numpy as np

from forum.models import Technology
from search.analysis import analyze, analyze_fields, analyze_like
from search.backends.base import SearchBackend
from search.bm25 import INDEX_FIELDS, TEXT_FIELDS, BM25Index
from search.models import DocumentVector, IndexedDocument, IndexVersion, VectorCentroid

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
        index_version_bump()

    def delete(self, doc_type: str, object_id: int) -> None:
        """Remove one entry if present."""
        if IndexedDocument.objects.filter(doc_type=doc_type, object_id=object_id).delete()[0]:
            index_version_bump()

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
        if items:
            index_version_bump()

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
        index_version_bump()


class Snapshot:
    """The stored entries of this process, with their BM25 indices, sentence vectors and facets.

    Refreshed when any process changed the stored entries or the centroids (the version
    token changed), so every process serves the same index. A refresh reads only the entries
    whose content hash or stamp changed and the vectors it does not hold yet; the rest is
    taken over from the previous snapshot, and the term counts of unchanged entries are
    reused. The search page reads the indices and the facet columns; matching builds its
    sides on the same indices and vectors instead of analysing everything a second time.
    """

    def __init__(self, key, entries, *, previous: "Snapshot | None" = None):
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
        known = previous.vectors if previous is not None else {}
        keys = {e.vector_key for e in entries if e.vector_key}
        self.vectors = {key: known[key] for key in keys if key in known}
        self.vectors.update(
            DocumentVector.objects.vectors_of(key for key in keys if key not in known)
        )
        self.centroids = VectorCentroid.objects.vectors()
        technology_slugs = dict(Technology.objects.values_list("name_ja", "slug"))
        self.facets = {
            key: FacetColumns(
                fields=tuple(entry.fields),
                municipalities=tuple(entry.municipalities),
                technologies=tuple(
                    technology_slugs[name]
                    for name in entry.technologies
                    if name in technology_slugs
                ),
                status=entry.status,
            )
            for key, entry in self.entries.items()
        }

    def stamp(self, doc_type: str, object_id: int) -> tuple | None:
        """What tells whether a stored entry changed since this snapshot: (hash, indexed at)."""
        entry = self.entries.get((doc_type, object_id))
        return None if entry is None else (entry.content_hash, entry.indexed_at)


@dataclass(frozen=True)
class FacetColumns:
    """The facet values of one stored entry, as the search page counts and filters them."""

    fields: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    technologies: tuple[str, ...] = ()
    status: str = ""


_snapshot: Snapshot | None = None
# Kept across snapshots of this process: the shared term ids and each entry's term counts.
_vocabulary: dict[str, int] = {}
_analysed: dict[tuple[str, int], tuple[str, dict]] = {}
VERSION_ROW = 1


def index_version_bump() -> None:
    """Tell every process that the stored entries, vectors or centroids changed.

    Called by every writer of the store, inside its transaction: readers see the new token
    together with the new entries.
    """
    IndexVersion.objects.update_or_create(pk=VERSION_ROW, defaults={"token": uuid.uuid4().hex})


def entries_state() -> tuple:
    """What changes whenever any process adds, changes or removes a stored entry.

    The version token when one was ever written (one primary-key read); before the first
    write through the store, a scan of the entries.
    """
    token = IndexVersion.objects.filter(pk=VERSION_ROW).values_list("token", flat=True).first()
    if token:
        return ("version", token)
    state = IndexedDocument.objects.aggregate(
        n=Count("pk"), latest=Max("indexed_at"), top=Max("pk")
    )
    centroids = VectorCentroid.objects.aggregate(latest=Max("updated_at"))["latest"]
    return ("scan", state["n"], state["latest"], state["top"], centroids)


def snapshot_key() -> tuple:
    """What changes whenever any process changes the stored entries, vectors or centroids."""
    return entries_state()


def _changed_entries(previous: Snapshot | None) -> list[IndexedDocument]:
    """Every stored entry, read from the database only where it changed since `previous`."""
    ordered = IndexedDocument.objects.order_by("doc_type", "object_id")
    if previous is None:
        return list(ordered)
    listing = list(ordered.values_list("pk", "doc_type", "object_id", "content_hash", "indexed_at"))
    changed = [
        pk
        for pk, doc_type, object_id, content_hash, indexed_at in listing
        if previous.stamp(doc_type, object_id) != (content_hash, indexed_at)
    ]
    if len(changed) > len(listing) // 2:
        return list(ordered)
    fresh = {}
    for start in range(0, len(changed), 1000):
        fresh.update(
            (entry.pk, entry)
            for entry in IndexedDocument.objects.filter(pk__in=changed[start : start + 1000])
        )
    return [
        fresh.get(pk) or previous.entries[(doc_type, object_id)]
        for pk, doc_type, object_id, _hash, _at in listing
    ]


def current_snapshot() -> Snapshot:
    """The process's snapshot, refreshed (incrementally) when the stored entries changed."""
    global _snapshot
    key = snapshot_key()
    if _snapshot is None or _snapshot.key != key:
        _snapshot = Snapshot(key, _changed_entries(_snapshot), previous=_snapshot)
    return _snapshot


def facet_columns(keys) -> dict[tuple[str, int], FacetColumns]:
    """(doc type, object id) → facet values of the stored entries among `keys`."""
    facets = current_snapshot().facets
    return {key: facets[key] for key in keys if key in facets}


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
        entries = snapshot.ordered[doc_type]
        # Each field scored with its own analysis (bigrams or whole words), as text_scores does.
        scores = sum(
            index.score_array(field_terms, fields=(name,)) for name, field_terms in terms.items()
        )
        ranked.extend(
            (entries[position], float(scores[position])) for position in np.flatnonzero(scores)
        )
    ranked.sort(key=lambda pair: (-pair[1], pair[0].doc_type, pair[0].object_id))
    return ranked


def analysed_counts() -> tuple[dict[str, int], dict[tuple[str, int], tuple[str, dict]]]:
    """The term counts this process holds: (its vocabulary, entry → (content hash, counts)).

    What a shared snapshot (matching.backends.shared) writes down, so that another process,
    or this one after a restart, need not analyse those entries again.
    """
    return _vocabulary, _analysed


def analysed_counts_adopt(terms, entries) -> int:
    """Take over term counts analysed elsewhere for entries this process has not analysed.

    `terms` lists the terms the counts refer to by position; `entries` yields
    ((doc type, object id), content hash, {field: (term positions, frequencies, length)}).
    An entry whose content hash the next snapshot does not find is analysed again as usual.
    Returns how many were taken over.
    """
    local = None
    adopted = 0
    for key, content_hash, counts in entries:
        cached = _analysed.get(key)
        if cached is not None and cached[0] == content_hash:
            continue
        if local is None:
            local = np.fromiter(
                (_vocabulary.setdefault(term, len(_vocabulary)) for term in terms),
                dtype=np.int32,
                count=len(terms),
            )
        _analysed[key] = (
            content_hash,
            {name: (local[ids], tfs, length) for name, (ids, tfs, length) in counts.items()},
        )
        adopted += 1
    return adopted
