"""Reads about notifications and who receives them."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from forum.models import Notification, NotificationPreference, Organisation


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


def user_is_digest_reader(user_id: int) -> bool:
    """Whether the person receives their notifications by email once a day."""
    return NotificationPreference.objects.filter(
        user_id=user_id, email_mode=NotificationPreference.Mode.DAILY
    ).exists()


def notification_ids_awaiting_email(*, created_before, max_attempts: int, limit: int) -> list[int]:
    """Notifications whose email never went out (and was not tried too often), digest readers
    excepted: the digest carries theirs."""
    return list(
        Notification.objects.filter(
            emailed_at__isnull=True, created_at__lt=created_before, email_attempts__lt=max_attempts
        )
        .exclude(recipient__notification_preference__email_mode="daily")
        .values_list("pk", flat=True)[:limit]
    )


def notification_digest_languages(*, after_user_id: int = 0) -> dict[int, str]:
    """Each daily-digest reader (in order of id, after the one given) and their digest's language."""
    return dict(
        NotificationPreference.objects.filter(
            email_mode=NotificationPreference.Mode.DAILY, user_id__gt=after_user_id
        )
        .order_by("user_id")
        .values_list("user_id", "language")
    )


def notification_list_for_digest(user_id: int, *, limit: int) -> list[Notification]:
    """The person's notifications not emailed yet, oldest first."""
    return list(
        Notification.objects.filter(recipient_id=user_id, emailed_at__isnull=True)
        .select_related("recipient")
        .order_by("created_at")[:limit]
    )
