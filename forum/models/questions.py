from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Question(models.Model):
    """A member's question about a challenge (質問). Private to the asker until its answer is
    published; the public record shows the question and the answer, never who asked."""

    class Status(models.TextChoices):
        PENDING = "pending", _("未回答")
        ANSWERED = "answered", _("回答済み（未公開）")
        PUBLISHED = "published", _("回答を公開済み")
        MERGED = "merged", _("他の質問に統合")
        DECLINED = "declined", _("回答しない")

    OPEN_STATUSES = ("pending", "answered")

    challenge = models.ForeignKey(
        "forum.Challenge",
        verbose_name=_("課題"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("質問者"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    organisation = models.ForeignKey(
        "forum.Organisation",
        verbose_name=_("質問者の団体"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("質問"), max_length=2000)
    status = models.CharField(
        _("状況"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    answer = models.TextField(_("回答"), blank=True, max_length=5000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回答者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("統合先の質問"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
    )
    decline_reason = models.TextField(_("回答しない理由"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("質問日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("質問")
        verbose_name_plural = _("質問")
        indexes = [models.Index(fields=["challenge", "status"])]

    def __str__(self) -> str:
        return self.body[:50]
