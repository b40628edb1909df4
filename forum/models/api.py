import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "oscpf_"


def api_token_hash(raw: str) -> str:
    """The SHA-256 of a token as stored; tokens carry 256 random bits, so no salt is needed."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class PersonalAPIToken(models.Model):
    """A member's personal API token. Only its hash is kept; the token is shown once.

    A token acts for its owner, but the API it opens reaches only the owner's member
    organisations' solutions and proposals (never the secretariat's or municipality
    staff's powers, which need a second factor on the web).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ユーザー"),
        on_delete=models.CASCADE,
        related_name="personal_api_tokens",
    )
    name = models.CharField(_("トークン名"), max_length=100)
    prefix = models.CharField(_("識別用の先頭文字"), max_length=20, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有効期限"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最終利用日時"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("取消日時"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("APIトークン")
        verbose_name_plural = _("APIトークン")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        """Past its expiry date."""
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        """Neither revoked nor expired."""
        return self.revoked_at is None and not self.is_expired
