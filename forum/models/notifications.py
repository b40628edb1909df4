from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app notice for one user; email delivery is tracked on the same row."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("宛先"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    verb = models.CharField(_("種類"), max_length=64)
    title = models.CharField(_("件名"), max_length=200)
    body = models.TextField(_("本文"), blank=True)
    url = models.CharField(_("リンク"), max_length=500, blank=True)
    # Where the person who caused the notice reached the site: its email links there.
    site_url = models.CharField(_("サイトのアドレス"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    read_at = models.DateTimeField(_("既読日時"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("メール送信日時"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("メール送信試行回数"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("お知らせ")
        verbose_name_plural = _("お知らせ")

    def __str__(self) -> str:
        return self.title
