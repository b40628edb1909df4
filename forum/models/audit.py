from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One recorded change: who did what to which object, when, and with which details."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("実行者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(_("操作"), max_length=64)
    target_type = models.CharField(_("対象の種類"), max_length=64)
    target_id = models.PositiveBigIntegerField(_("対象のID"))
    data = models.JSONField(_("詳細"), default=dict, blank=True)
    created_at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("操作履歴")
        verbose_name_plural = _("操作履歴")

    def __str__(self) -> str:
        return f"{self.verb} {self.target_type}#{self.target_id}"
