"""Background work of the forum: tasks take ids, load, and call a service."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from celery import shared_task

from forum.models import Notification
from forum.queue import WorkBudget, enqueue
from forum.selectors.notifications import notification_language

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 8


def _site_name() -> str:
    return _("大阪スマートシティパートナーズフォーラム")


@shared_task(bind=True, max_retries=5, retry_backoff=True, acks_late=True)
def notification_email_send(self, notification_id: int) -> bool:
    """Email one notification; safe to run twice (a sent notification is skipped)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.recipient.email:
            return False
        if _wants_digest(notification.recipient_id):
            return False  # the daily digest will carry it
        notification.email_attempts += 1
        notification.save(update_fields=["email_attempts"])
    context = {"notification": notification, "site_url": settings.SITE_URL}
    try:
        with translation.override(notification_language(notification.recipient_id)):
            subject = f"[{_site_name()}] {notification.title}"
            message = render_to_string("forum/email/notification.txt", context)
        send_mail(
            subject=subject,
            message=message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.recipient.email],
        )
    except Exception as exc:
        logger.warning("Email for notification %s failed: %s", notification_id, exc)
        if self.request.called_directly or self.request.is_eager:
            return False
        raise self.retry(exc=exc) from exc
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return True


@shared_task
def notification_email_sweep() -> int:
    """Retry emails that were never sent (broker or mail server was down)."""
    cutoff = timezone.now() - timedelta(minutes=5)
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True, created_at__lt=cutoff, email_attempts__lt=MAX_EMAIL_ATTEMPTS
        )
        .exclude(recipient__notification_preference__email_mode="daily")
        .values_list("pk", flat=True)[:500]
    )
    count = 0
    for notification_id in pending:
        notification_email_send.apply_async(args=[notification_id])
        count += 1
    return count


@shared_task(bind=True, max_retries=5, retry_backoff=True, acks_late=True)
def invitation_email_send(self, invitation_id: int) -> bool:
    """Mail an invitation link; skipped when the invitation is no longer open."""
    from django.urls import reverse

    from forum.models import Invitation

    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return False
    context = {
        "invitation": invitation,
        "accept_url": settings.SITE_URL
        + reverse("forum:invitation_accept", args=[invitation.token]),
    }
    try:
        send_mail(
            subject=f"[{_site_name()}] "
            + _("「%(name)s」への招待") % {"name": invitation.organisation.name},
            message=render_to_string("forum/email/invitation.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[invitation.email],
        )
    except Exception as exc:
        logger.warning("Invitation email %s failed: %s", invitation_id, exc)
        if self.request.is_eager:
            return False
        raise self.retry(exc=exc) from exc
    return True


def _wants_digest(user_id: int) -> bool:
    from forum.models import NotificationPreference

    return NotificationPreference.objects.filter(
        user_id=user_id, email_mode=NotificationPreference.Mode.DAILY
    ).exists()


def _digest_send(user_id: int, language: str) -> bool:
    """Email one person their unsent notifications in one message; False when there was none."""
    pending = list(
        Notification.objects.filter(recipient_id=user_id, emailed_at__isnull=True)
        .select_related("recipient")
        .order_by("created_at")[:100]
    )
    if not pending or not pending[0].recipient.email:
        return False
    context = {
        "notifications": pending,
        "recipient": pending[0].recipient,
        "site_url": settings.SITE_URL,
    }
    try:
        with translation.override(language):
            count = ngettext(
                "本日のお知らせ（%(n)s件）", "本日のお知らせ（%(n)s件）", len(pending)
            ) % {"n": len(pending)}
            subject = f"[{_site_name()}] {count}"
            message = render_to_string("forum/email/digest.txt", context)
        send_mail(
            subject=subject,
            message=message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[pending[0].recipient.email],
        )
    except Exception as exc:
        logger.warning("Digest for user %s failed: %s", user_id, exc)
        return False
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    return True


@shared_task(bind=True, max_retries=3, retry_backoff=True)
def notification_digest_send(self, after_user_id: int = 0) -> int:
    """Send each daily-digest user one email with their unsent notifications; returns emails sent.

    People are taken in order of id; in a worker, a run whose time budget is spent leaves
    the people after the last one served to a new task.
    """
    from forum.models import NotificationPreference

    budget = WorkBudget(self)
    people = (
        NotificationPreference.objects.filter(
            email_mode=NotificationPreference.Mode.DAILY, user_id__gt=after_user_id
        )
        .order_by("user_id")
        .values_list("user_id", "language")
    )
    sent = 0
    for user_id, language in people:
        sent += _digest_send(user_id, language)
        if budget.spent():
            enqueue(notification_digest_send, after_user_id=user_id)
            break
    return sent


@shared_task
def submissions_purge_task() -> int:
    """Hourly: forget API idempotency keys and web form tokens older than a day."""
    from forum.services.submissions import submissions_purge

    return submissions_purge()
