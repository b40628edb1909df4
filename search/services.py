"""Keeping the index in step with the database: outbox rows, their application, rebuilds, checks."""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

import numpy as np

from forum.models import Challenge, Project, SolutionProfile
from forum.page_cache import page_cache_bump
from forum.queue import WorkBudget
from search.backends import get_backend, get_writers
from search.backends.embedded import VERSION_ROW, index_version_bump
from search.documents import BUILDERS, DOC_TYPES, documents_build, searchable_ids
from search.models import (
    DocumentVector,
    IndexedDocument,
    IndexOutbox,
    IndexVersion,
    VectorCentroid,
)
from search.signals import vectors_wanted
from search.vectors import (
    MODEL_ID,
    VectorsUnavailable,
    centred,
    centroids_estimate,
    embedding_text,
    encode,
    from_bytes,
    to_bytes,
    vector_key,
    vectors_enabled,
)

logger = logging.getLogger(__name__)

# How far (Euclidean) a centroid may drift before stored centred vectors are pushed again.
CENTROID_TOLERANCE = 0.02

MAX_ATTEMPTS = 10


def outbox_record(*, doc_type: str, object_id: int) -> IndexOutbox:
    """Note that an object changed; runs inside the writer's transaction."""
    return IndexOutbox.objects.create(doc_type=doc_type, object_id=object_id)


def outbox_record_organisation(*, organisation_id: int) -> int:
    """An organisation's approval changes whether its solutions are searchable."""
    ids = SolutionProfile.objects.filter(organisation_id=organisation_id).values_list(
        "pk", flat=True
    )
    IndexOutbox.objects.bulk_create([IndexOutbox(doc_type="solution", object_id=pk) for pk in ids])
    return len(ids)


def outbox_apply(*, limit: int = 500, budget: WorkBudget | None = None) -> int:
    """Apply pending rows to the index, oldest first; each row is idempotent. Returns rows applied.

    Documents whose text has no vector yet are indexed at once without one; the vector task
    that follows computes it and hands it to the backends. With a ``budget``, rows left when
    it is spent stay pending for the next run.
    """
    writers = get_writers()
    applied = 0
    needs_vectors = False
    pending = list(
        IndexOutbox.objects.filter(processed_at__isnull=True, attempts__lt=MAX_ATTEMPTS).order_by(
            "pk"
        )[:limit]
    )
    centroids = VectorCentroid.objects.vectors()
    for row in pending:
        if budget is not None and budget.spent():
            break
        try:
            with transaction.atomic():
                document = BUILDERS[row.doc_type](row.object_id)
                if document is not None:
                    document = _with_vector(document, centroids)
                    needs_vectors |= "vector" not in document
                for backend in writers:
                    if document is None:
                        backend.delete(row.doc_type, row.object_id)
                    else:
                        backend.upsert(row.doc_type, row.object_id, document)
                IndexOutbox.objects.filter(pk=row.pk).update(
                    processed_at=timezone.now(), attempts=row.attempts + 1
                )
            applied += 1
        except Exception as exc:  # the index is down or the row is broken: keep it for the sweep
            IndexOutbox.objects.filter(pk=row.pk).update(
                attempts=row.attempts + 1, last_error=str(exc)[:2000]
            )
    if needs_vectors:
        vectors_wanted.send(sender=IndexedDocument)
    if applied:
        page_cache_bump()  # the search page shows the index
    return applied


def _with_vector(document: dict, centroids: dict, stored: dict | None = None) -> dict:
    """The document with its centred vector attached, when one is stored for its text.

    `stored` (key → vector) saves the lookup when many documents are prepared at once.
    """
    if stored is None:
        stored = DocumentVector.objects.vectors_of([document["vector_key"]])
    vector = stored.get(document["vector_key"])
    if vector is None:
        return document
    return {**document, "vector": centred(vector, document["language"], centroids)}


def _entries_without_vector():
    """Indexed entries whose text has no stored vector yet."""
    return IndexedDocument.objects.exclude(vector_key="").exclude(
        vector_key__in=DocumentVector.objects.values("key")
    )


def index_rebuild(*, progress=None, vectors_later: bool = True) -> dict[str, int]:
    """Build every type afresh from the database and bring the index to it; counts per type.

    Documents are read 500 rows at a time. The embedded store receives only the entries whose
    content hash differs (so web processes refresh just those) unless most of a type changed,
    when the type is swapped at once. Stored vectors are reused: the language centroids are
    computed from the store, then the other backends receive every document with its centred
    vector. Texts without a vector are left to the background vector task (or to the caller,
    with vectors_later=False, as `rebuild_index` does with its progress bar).
    """
    started = timezone.now()
    embedded, *others = get_writers()
    built = {}
    for doc_type in DOC_TYPES:
        documents = documents_build(doc_type, searchable_ids(doc_type), progress=progress)
        _store_sync(embedded, doc_type, documents)
        built[doc_type] = documents
    vector_centroids_refresh()
    if others:
        centroids = VectorCentroid.objects.vectors()
        for doc_type, documents in built.items():
            stored = DocumentVector.objects.vectors_of(
                doc["vector_key"] for doc in documents.values()
            )
            with_vectors = {
                pk: _with_vector(doc, centroids, stored) for pk, doc in documents.items()
            }
            for backend in others:
                backend.replace_all(doc_type, with_vectors)
    IndexOutbox.objects.filter(processed_at__isnull=True).update(processed_at=timezone.now())
    if vectors_later and _entries_without_vector().exists():
        vectors_wanted.send(sender=IndexedDocument)
    _built_mark(started)
    page_cache_bump()
    return {doc_type: len(documents) for doc_type, documents in built.items()}


def _built_mark(started) -> None:
    """Remember when the build that just finished began (what --changed reads from)."""
    IndexVersion.objects.filter(pk=VERSION_ROW).update(built_at=started)


def index_last_built():
    """When the last rebuild began, or None when the index was never built by rebuild_index."""
    return IndexVersion.objects.filter(pk=VERSION_ROW).values_list("built_at", flat=True).first()


def _edited_since(doc_type: str, since) -> set[int]:
    """Ids whose row records an edit at or after `since` (types whose rows keep one)."""
    if doc_type == "challenge":
        rows = Challenge.objects.filter(updated_at__gte=since)
    elif doc_type == "project":
        rows = Project.objects.filter(updated_at__gte=since)
    elif doc_type == "solution":
        # Solutions keep no edit time; their organisation's approval or name does.
        rows = SolutionProfile.objects.filter(organisation__updated_at__gte=since)
    else:
        return set()
    return set(rows.values_list("pk", flat=True))


def _changed_ids(doc_type: str, since, pending: list[tuple[int, str, int]]) -> set[int]:
    """Ids of one type whose entry may differ from its object since the last build."""
    searchable = set(searchable_ids(doc_type))
    indexed = set(
        IndexedDocument.objects.filter(doc_type=doc_type).values_list("object_id", flat=True)
    )
    ids = {object_id for _, kind, object_id in pending if kind == doc_type}
    return ids | (searchable ^ indexed) | _edited_since(doc_type, since)


def _refresh_type(doc_type: str, ids: set[int], writers, centroids: dict) -> int:
    """Write the entries of these ids whose hash changed and drop the ones that went."""
    documents = documents_build(doc_type, sorted(ids))
    stored = dict(
        IndexedDocument.objects.filter(doc_type=doc_type, object_id__in=ids).values_list(
            "object_id", "content_hash"
        )
    )
    changed = [pk for pk, doc in documents.items() if stored.get(pk) != doc["content_hash"]]
    gone = [pk for pk in stored if pk not in documents]
    vectors = DocumentVector.objects.vectors_of(documents[pk]["vector_key"] for pk in changed)
    with transaction.atomic():
        for backend in writers:
            for pk in changed:
                backend.upsert(doc_type, pk, _with_vector(documents[pk], centroids, vectors))
            for pk in gone:
                backend.delete(doc_type, pk)
    return len(changed) + len(gone)


def index_refresh_changed(*, vectors_later: bool = True) -> dict[str, int] | None:
    """Bring the index up to what changed since the last build; entries written per type.

    Reads only what may have changed: the changes the site recorded in the outbox that no
    worker has applied, the ids that became searchable or stopped being so (one query of ids
    per type and one of the index's), and the challenges, projects and organisations edited
    since the last build began. One change costs a few queries whatever the size of the
    index. Returns None when the index was never built (the full rebuild is needed).
    """
    since = index_last_built()
    if since is None:
        return None
    started = timezone.now()
    pending = list(
        IndexOutbox.objects.filter(processed_at__isnull=True).values_list(
            "pk", "doc_type", "object_id"
        )
    )
    writers = get_writers()
    centroids = VectorCentroid.objects.vectors()
    written = {
        doc_type: _refresh_type(
            doc_type, _changed_ids(doc_type, since, pending), writers, centroids
        )
        for doc_type in DOC_TYPES
    }
    IndexOutbox.objects.filter(pk__in=[pk for pk, _, _ in pending]).update(
        processed_at=timezone.now()
    )
    _built_mark(started)
    if any(written.values()):
        page_cache_bump()
        if vectors_later and _entries_without_vector().exists():
            vectors_wanted.send(sender=IndexedDocument)
    return written


def _store_sync(store, doc_type: str, documents: dict[int, dict]) -> None:
    """Write to the store the documents whose hash differs and drop the ones that went."""
    stored = store.hashes(doc_type)
    changed = [pk for pk, doc in documents.items() if stored.get(pk) != doc["content_hash"]]
    gone = [pk for pk in stored if pk not in documents]
    if len(changed) + len(gone) > max(100, len(documents) // 10):
        store.replace_all(doc_type, documents)
        return
    with transaction.atomic():
        for pk in changed:
            store.upsert(doc_type, pk, documents[pk])
        for pk in gone:
            store.delete(doc_type, pk)


@dataclass
class IndexDifferences:
    missing: dict[str, list[int]] = field(default_factory=dict)
    extra: dict[str, list[int]] = field(default_factory=dict)
    stale: dict[str, list[int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """How many objects differ between database and index."""
        return sum(len(v) for part in (self.missing, self.extra, self.stale) for v in part.values())


def index_check() -> IndexDifferences:
    """Compare what the database says is searchable with what the index holds."""
    backend = get_backend()
    result = IndexDifferences()
    for doc_type in DOC_TYPES:
        indexed = backend.hashes(doc_type)
        expected = {
            object_id: document["content_hash"]
            for object_id, document in documents_build(doc_type, searchable_ids(doc_type)).items()
        }
        result.missing[doc_type] = sorted(set(expected) - set(indexed))
        result.extra[doc_type] = sorted(set(indexed) - set(expected))
        result.stale[doc_type] = sorted(
            k for k in set(expected) & set(indexed) if expected[k] != indexed[k]
        )
    return result


# Sentence vectors ---------------------------------------------------------------------------

_recent_vectors: dict[str, np.ndarray] = {}  # key → vector, a small per-process memo
_RECENT_LIMIT = 4096


def vectors_for_texts(
    texts: list[str], *, batch_size: int = 16, progress=None
) -> dict[str, np.ndarray]:
    """Vectors of the texts by key: stored ones reused, the rest computed and stored.

    Without a usable model the texts that have no stored vector are simply left out, so a
    caller degrades to text matching rather than failing.
    """
    wanted = {vector_key(text): text for text in texts}
    found: dict[str, np.ndarray] = DocumentVector.objects.vectors_of(wanted)
    missing = [key for key in wanted if key not in found]
    if not vectors_enabled():
        return found
    remembered = {key: _recent_vectors[key] for key in missing if key in _recent_vectors}
    _vectors_store(remembered)
    found.update(remembered)
    missing = [key for key in missing if key not in remembered]
    done = 0
    for start in range(0, len(missing), batch_size):
        chunk = missing[start : start + batch_size]
        try:
            rows = encode([wanted[key] for key in chunk])
        except VectorsUnavailable as exc:
            logger.warning("Sentence vectors are unavailable: %s", exc)
            break
        computed = dict(zip(chunk, rows, strict=True))
        _vectors_store(computed)
        found.update(computed)
        done += len(chunk)
        if progress is not None:
            progress(done, len(missing))
    if len(_recent_vectors) > _RECENT_LIMIT:
        _recent_vectors.clear()
    _recent_vectors.update(found)
    return found


def _vectors_store(vectors: dict[str, np.ndarray]) -> None:
    DocumentVector.objects.bulk_create(
        [
            DocumentVector(key=key, model=MODEL_ID, vector=to_bytes(vector))
            for key, vector in vectors.items()
        ],
        ignore_conflicts=True,
        batch_size=500,
    )


def _entry_text(entry: IndexedDocument) -> str:
    return embedding_text(entry.title, entry.summary, entry.description)


def vector_centroids_refresh() -> bool:
    """Recompute each language's centroid from the indexed documents; True when they moved.

    A move beyond a small tolerance means stored centred vectors are out of date, so the
    Elasticsearch copies are pushed again.
    """
    rows: dict[str, list[np.ndarray]] = {}
    keys = dict(
        IndexedDocument.objects.exclude(vector_key="").values_list("vector_key", "language")
    )
    for key, vector in DocumentVector.objects.vectors_of(keys).items():
        rows.setdefault(keys[key], []).append(vector)
    estimated = centroids_estimate({lang: np.stack(v) for lang, v in rows.items()})
    current = {c.language: (from_bytes(c.vector), c.count) for c in VectorCentroid.objects.all()}
    counts = {lang: len(v) for lang, v in rows.items()}
    moved = set(current) != set(estimated) or any(
        float(np.linalg.norm(estimated[lang] - current[lang][0])) > CENTROID_TOLERANCE
        for lang in estimated
    )
    if not moved:
        return False
    with transaction.atomic():
        VectorCentroid.objects.exclude(language__in=list(estimated)).delete()
        for language, vector in estimated.items():
            VectorCentroid.objects.update_or_create(
                language=language,
                defaults={
                    "vector": to_bytes(vector),
                    "count": counts.get(language, sum(counts.values())),
                },
            )
        index_version_bump()
    return True


def vectors_missing() -> int:
    """How many indexed entries still wait for their vector."""
    return _entries_without_vector().count()


def vectors_fill(*, limit: int = 200) -> int:
    """Compute the vectors indexed entries still lack, then hand them to every backend.

    Runs in the background (a task after each index change, and a periodic sweep); safe to
    run many times. Returns how many entries received a vector.
    """
    pending = list(_entries_without_vector()[:limit])
    if not pending:
        return 0
    vectors = vectors_for_texts([_entry_text(entry) for entry in pending])
    done = [entry for entry in pending if entry.vector_key in vectors]
    if not done:
        return 0
    if (
        not VectorCentroid.objects.exists() or _language_without_centroid(done)
    ) and vector_centroids_refresh():
        vectors_push_all()  # every centred vector changed, these included
        return len(done)
    _vectors_push([(e.doc_type, e.object_id, e.language, vectors[e.vector_key]) for e in done])
    return len(done)


def _language_without_centroid(entries) -> bool:
    languages = set(VectorCentroid.objects.values_list("language", flat=True))
    return any(entry.language not in languages for entry in entries)


def _vectors_push(items: list[tuple[str, int, str, np.ndarray]]) -> None:
    """Give every backend the centred vectors of these entries."""
    centroids = VectorCentroid.objects.vectors()
    centred_items = [
        (doc_type, object_id, centred(vector, language, centroids))
        for doc_type, object_id, language, vector in items
    ]
    for backend in get_writers():
        backend.vectors_update(centred_items)


def vectors_push_all() -> int:
    """Push every stored vector again (after the centroids moved)."""
    entries = list(IndexedDocument.objects.exclude(vector_key=""))
    vectors = DocumentVector.objects.vectors_of(e.vector_key for e in entries)
    items = [
        (e.doc_type, e.object_id, e.language, vectors[e.vector_key])
        for e in entries
        if e.vector_key in vectors
    ]
    _vectors_push(items)
    return len(items)
