"""Keeping the index in step with the database: outbox rows, their application, rebuilds, checks."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from forum.models import SolutionProfile
from search.backends import get_backend, get_writers
from search.documents import BUILDERS, DOC_TYPES, searchable_ids
from search.models import IndexOutbox

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


def outbox_apply(*, limit: int = 500) -> int:
    """Apply pending rows to the index, oldest first; each row is idempotent. Returns rows applied."""
    writers = get_writers()
    applied = 0
    pending = list(
        IndexOutbox.objects.filter(processed_at__isnull=True, attempts__lt=MAX_ATTEMPTS).order_by(
            "pk"
        )[:limit]
    )
    for row in pending:
        try:
            with transaction.atomic():
                document = BUILDERS[row.doc_type](row.object_id)
                for backend in writers:
                    if document is None:
                        backend.delete(row.doc_type, row.object_id)
                    else:
                        backend.upsert(row.doc_type, row.object_id, document)
                IndexOutbox.objects.filter(pk=row.pk).update(
                    processed_at=timezone.now(), attempts=row.attempts + 1
                )
            applied += 1
        except (
            Exception
        ) as exc:  # the index is down or the row is broken: keep it for the next sweep
            IndexOutbox.objects.filter(pk=row.pk).update(
                attempts=row.attempts + 1, last_error=str(exc)[:2000]
            )
    return applied


def index_rebuild(*, progress=None) -> dict[str, int]:
    """Build every type afresh from the database and swap it in; returns counts per type."""
    writers = get_writers()
    counts = {}
    for doc_type in DOC_TYPES:
        ids = searchable_ids(doc_type)
        documents = {}
        for number, object_id in enumerate(ids, start=1):
            document = BUILDERS[doc_type](object_id)
            if document is not None:
                documents[object_id] = document
            if progress is not None:
                progress(doc_type, number, len(ids))
        for backend in writers:
            backend.replace_all(doc_type, documents)
        counts[doc_type] = len(documents)
    IndexOutbox.objects.filter(processed_at__isnull=True).update(processed_at=timezone.now())
    return counts


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
        expected = {}
        for object_id in searchable_ids(doc_type):
            document = BUILDERS[doc_type](object_id)
            if document is not None:
                expected[object_id] = document["content_hash"]
        result.missing[doc_type] = sorted(set(expected) - set(indexed))
        result.extra[doc_type] = sorted(set(indexed) - set(expected))
        result.stale[doc_type] = sorted(
            k for k in set(expected) & set(indexed) if expected[k] != indexed[k]
        )
    return result
