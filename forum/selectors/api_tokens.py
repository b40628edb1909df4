"""Reads of personal API tokens: the owner's list, and the lookup behind token authentication."""

from django.db.models import QuerySet

from forum.models import PersonalAPIToken
from forum.models.api import TOKEN_PREFIX, api_token_hash


def api_token_list_for_user(user) -> QuerySet[PersonalAPIToken]:
    """The user's own tokens, newest first; nobody sees another person's."""
    if not user.is_authenticated:
        return PersonalAPIToken.objects.none()
    return PersonalAPIToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_token_get_by_key(raw: str) -> PersonalAPIToken | None:
    """The token (revoked and expired ones included) whose hash matches the presented key."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    return (
        PersonalAPIToken.objects.select_related("user").filter(key_hash=api_token_hash(raw)).first()
    )
