"""Records that make a retried write answer with its first result instead of writing twice.

An API client sends an ``Idempotency-Key`` with a write; a web form carries a one-time token
rendered with it. Either is kept for a day, per person, with what the first request answered.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """An API write sent with an ``Idempotency-Key`` header, and its first response.

    Keys belong to the token's owner: two people may use the same key. While ``status_code``
    is empty the first request is still running.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("APIの冪等キー")
        verbose_name_plural = _("APIの冪等キー")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"


class FormSubmission(models.Model):
    """The first POST of a rendered web form, recognised by the form's one-time token.

    ``redirect_to`` is where that POST led; it is empty while the POST is still running.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    path = models.CharField(max_length=2000)
    redirect_to = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("フォームの送信")
        verbose_name_plural = _("フォームの送信")
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="form_submission_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.path} ({self.token})"
