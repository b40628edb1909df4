"""Reads about notifications and who receives them."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from forum.models import Notification, Organisation


def user_list_secretariat() -> QuerySet:
    """Active people who act for the secretariat."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(
                memberships__organisation__kind=Organisation.Kind.SECRETARIAT,
                memberships__organisation__status=Organisation.Status.APPROVED,
            )
        )
        .distinct()
    )


def notification_list_for_user(user) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_count_unread(user) -> int:
    """How many of the user's notifications are unread."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_languages(user_ids) -> dict[int, str]:
    """The language each of these people receives notifications in (Japanese unless they chose)."""
    from django.conf import settings

    from forum.models import NotificationPreference

    ids = list(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids).values_list("user_id", "language")
    )
    available = {code for code, _name in settings.LANGUAGES}
    return {
        pk: chosen.get(pk) if chosen.get(pk) in available else settings.LANGUAGE_CODE for pk in ids
    }


def notification_language(user_id: int) -> str:
    """The language one person receives notifications and emails in."""
    return notification_languages([user_id])[user_id]
