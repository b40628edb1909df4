from django.db import models
from django.utils.translation import gettext_lazy as _


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
    stage = models.CharField(max_length=20, blank=True)
    url = models.CharField(max_length=500, blank=True)
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
