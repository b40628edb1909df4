from django.db import models
from django.utils.translation import gettext_lazy as _

from search.vectors import from_bytes


class IndexOutbox(models.Model):
    """A change the index must catch up with, written in the same transaction as the change."""

    doc_type = models.CharField(_("種類"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("対象のID"))
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    processed_at = models.DateTimeField(_("反映日時"), null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("試行回数"), default=0)
    last_error = models.TextField(_("最後のエラー"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("索引の更新待ち")
        verbose_name_plural = _("索引の更新待ち")

    def __str__(self) -> str:
        return f"{self.doc_type}#{self.object_id}"


class IndexedDocument(models.Model):
    """The embedded backend's stored index entry: what search and matching read for one object."""

    doc_type = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    title = models.TextField()
    summary = models.TextField(blank=True)
    description = models.TextField(blank=True)
    fields = models.JSONField(default=list)
    technologies = models.JSONField(default=list)
    municipalities = models.JSONField(default=list)
    # Further facet values by facet name ({"sdg": ["11"]}): the search page filters and counts
    # them from the index like the columns above.
    facets = models.JSONField(default=dict)
    stage = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=10, blank=True)
    language = models.CharField(max_length=2, default="ja")
    published_at = models.DateTimeField(null=True, blank=True)
    url = models.CharField(max_length=500, blank=True)
    vector_key = models.CharField(max_length=64, blank=True, db_index=True)
    content_hash = models.CharField(max_length=64)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("索引の項目")
        verbose_name_plural = _("索引の項目")
        constraints = [
            models.UniqueConstraint(
                fields=["doc_type", "object_id"], name="indexeddocument_unique_object"
            )
        ]

    def __str__(self) -> str:
        return f"{self.doc_type}#{self.object_id}"


class DocumentVectorQuerySet(models.QuerySet):
    def vectors_of(self, keys) -> dict:
        """The stored vectors of these keys (key → numpy array), read 1,000 keys at a time."""
        keys = list(keys)
        found = {}
        for start in range(0, len(keys), 1000):
            rows = self.filter(key__in=keys[start : start + 1000]).values_list("key", "vector")
            found.update((key, from_bytes(data)) for key, data in rows)
        return found


class DocumentVector(models.Model):
    """A text's sentence vector, computed once and kept by the hash of model and text."""

    key = models.CharField(max_length=64, unique=True)
    model = models.CharField(max_length=100)
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentVectorQuerySet.as_manager()

    class Meta:
        verbose_name = _("文ベクトル")
        verbose_name_plural = _("文ベクトル")

    def __str__(self) -> str:
        return self.key[:12]


class VectorCentroidQuerySet(models.QuerySet):
    def vectors(self) -> dict:
        """Each language's centroid (language → numpy array): what both backends centre with."""
        return {c.language: from_bytes(c.vector) for c in self}


class VectorCentroid(models.Model):
    """The mean vector of one language's indexed documents, taken away before comparing.

    Both backends read the same stored centroids, so Elasticsearch (which stores centred
    vectors) and the embedded backend rank alike; `rebuild_index` and a daily task refresh them.
    """

    language = models.CharField(max_length=2, unique=True, blank=True)
    vector = models.BinaryField()
    count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VectorCentroidQuerySet.as_manager()

    class Meta:
        verbose_name = _("言語の重心ベクトル")
        verbose_name_plural = _("言語の重心ベクトル")

    def __str__(self) -> str:
        return self.language or "*"


class IndexVersion(models.Model):
    """One row whose token changes whenever the stored index, its vectors or centroids change.

    The writers of the embedded store replace the token; every process compares it with the
    token its snapshot was built from (one primary-key read per request) instead of scanning
    the index, and on a change reads only the entries that changed.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)
    # When the last rebuild_index began: `rebuild_index --changed` re-reads what was edited since.
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("索引の版")
        verbose_name_plural = _("索引の版")

    def __str__(self) -> str:
        return self.token
