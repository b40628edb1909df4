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
