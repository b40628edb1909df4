"""Personal API tokens: create (shown once), revoke, and note when one was last used."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import PersonalAPIToken
from forum.models.api import TOKEN_PREFIX, api_token_hash
from forum.selectors.roles import organisation_list_acting_for_user
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.notifications import notification_send

MAX_ACTIVE_TOKENS = 10
EXPIRY_CHOICES_DAYS = (30, 90, 365)
# Writing last_used_at on every request would turn each read into a write.
TOUCH_INTERVAL = timedelta(minutes=1)


def user_may_hold_api_tokens(user) -> bool:
    """Tokens are for people who act for an approved member organisation."""
    return (
        user.is_authenticated
        and user.is_active
        and organisation_list_acting_for_user(user).exists()
    )


@transaction.atomic
def api_token_create(
    *, actor, name: str, expires_in_days: int | None = None
) -> tuple[PersonalAPIToken, str]:
    """Create a token for the actor; returns it with the only copy of its secret."""
    if not user_may_hold_api_tokens(actor):
        raise PermissionDenied(
            _("APIトークンは、承認済みの企業・大学などの団体に所属する会員だけが作成できます。")
        )
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("トークン名を入力してください。"))
    if len(name) > 100:
        raise ServiceError(_("トークン名は100文字以内で入力してください。"))
    if expires_in_days is not None and expires_in_days not in EXPIRY_CHOICES_DAYS:
        raise ServiceError(_("有効期限の選択が正しくありません。"))
    now = timezone.now()
    active = (
        PersonalAPIToken.objects.select_for_update()
        .filter(user=actor, revoked_at__isnull=True)
        .exclude(expires_at__lte=now)
    )
    if len(active) >= MAX_ACTIVE_TOKENS:
        raise ServiceError(
            _("有効なトークンは%(n)s件までです。使っていないトークンを取り消してください。")
            % {"n": MAX_ACTIVE_TOKENS}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PersonalAPIToken.objects.create(
        user=actor,
        name=name,
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        key_hash=api_token_hash(raw),
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    audit_record(actor=actor, verb="api_token.created", target=token, name=name)
    # Tells the owner at once if someone else created a token with their session.
    notification_send(
        recipients=[actor],
        verb="api_token.created",
        title=lambda: _("APIトークン「%(name)s」が作成されました") % {"name": name},
        body=lambda: _(
            "心当たりがない場合は、すぐにトークンを取り消し、パスワードを変更してください。"
        ),
        url=reverse("forum:api_tokens"),
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: PersonalAPIToken) -> bool:
    """Revoke one of the actor's own tokens; returns False when it was already revoked."""
    token = PersonalAPIToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != actor.pk:
        raise PermissionDenied(_("このトークンを取り消す権限がありません。"))
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, verb="api_token.revoked", target=token, name=token.name)
    return True


def api_token_touch(*, token: PersonalAPIToken) -> None:
    """Record that the token was used, at most once a minute per token."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_INTERVAL:
        return
    # One UPDATE that skips rows touched meanwhile by a parallel request.
    PersonalAPIToken.objects.filter(pk=token.pk).exclude(
        last_used_at__gt=now - TOUCH_INTERVAL
    ).update(last_used_at=now)
    token.last_used_at = now
