"""Notifications: creating them in each recipient's language, marking them read, and delivering
them by email (one at a time, or once a day in a digest).

Delivery lives here so that tasks only pass ids: ``forum.tasks`` calls these functions and
keeps the retries. The row is the record; an email that fails is counted and tried again.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum.models import Notification, NotificationPreference
from forum.request_origin import email_base_url, origin_current
from forum.selectors.notifications import (
    notification_digest_languages,
    notification_ids_awaiting_email,
    notification_language,
    notification_languages,
    notification_list_for_digest,
    notification_list_for_user,
    user_is_digest_reader,
)
from forum.signals import notification_email_wanted

logger = logging.getLogger(__name__)

# A notice's text: a plain string (someone's own words), or a function that writes it out
# with gettext, called once for each language the recipients read.
Text = str | Callable[[], str]

MAX_EMAIL_ATTEMPTS = 8
SWEEP_DELAY = timedelta(minutes=5)
SWEEP_LIMIT = 500
DIGEST_LIMIT = 100


class EmailNotSent(Exception):
    """The mail server failed or could not be reached; the caller may try again later."""


def _written(text: Text) -> str:
    return text() if callable(text) else text


@transaction.atomic
def notification_send(
    *, recipients: Iterable, verb: str, title: Text, body: Text = "", url: str = ""
) -> list[Notification]:
    """Create one notification per recipient and queue its email after commit.

    ``title`` and ``body`` given as functions are written in each recipient's language
    (their notification settings; Japanese unless they chose English).

    The row is the record: if the mail server or the broker is down, the status change that
    caused the notice still commits and the email is retried by the periodic sweep.
    """
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    languages = notification_languages(unique)
    texts: dict[str, tuple[str, str]] = {}
    rows = []
    site_url = origin_current()
    for pk, user in unique.items():
        language = languages[pk]
        if language not in texts:
            with translation.override(language):
                texts[language] = (_written(title), _written(body))
        written_title, written_body = texts[language]
        rows.append(
            Notification(
                recipient=user,
                verb=verb,
                title=written_title[:200],
                body=written_body,
                url=url,
                site_url=site_url,
            )
        )
    notifications = Notification.objects.bulk_create(rows)
    for notification in notifications:
        notification_email_wanted.send(sender=Notification, notification_id=notification.pk)
    return notifications


@transaction.atomic
def notification_mark_all_read(*, user) -> int:
    """Mark every unread notification of the person as read; returns how many changed."""
    return (
        notification_list_for_user(user).filter(read_at__isnull=True).update(read_at=timezone.now())
    )


@transaction.atomic
def notification_mark_emailed(*, created_since) -> int:
    """Take notices created since a moment off the email queue without sending them.

    For notices nobody needs by email (those of a demonstration site); they stay in-app.
    """
    return Notification.objects.filter(
        created_at__gte=created_since, emailed_at__isnull=True
    ).update(emailed_at=timezone.now())


@transaction.atomic
def notification_preference_update(
    *, user, email_mode: str | None = None, language: str | None = None
) -> NotificationPreference:
    """Save how the person receives notifications: email at once or daily, and the language."""
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
        user=user
    )
    fields = []
    if email_mode is not None and email_mode != preference.email_mode:
        preference.email_mode = email_mode
        fields.append("email_mode")
    if language is not None and language != preference.language:
        preference.language = language
        fields.append("language")
    if fields:
        preference.full_clean()
        preference.save(update_fields=fields)
    return preference


# --- delivery ---------------------------------------------------------------------------------


def site_name() -> str:
    """The forum's name as it starts every email subject, in the active language."""
    return _("大阪スマートシティパートナーズフォーラム")


def email_send(*, to: str, subject: str, template: str, context: dict) -> None:
    """Send one plain-text email, rendered in the active language; raises EmailNotSent."""
    try:
        message = render_to_string(template, context)
        send_mail(
            subject=f"[{site_name()}] {subject}",
            message=message,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[to],
        )
    except Exception as exc:
        raise EmailNotSent(str(exc)) from exc


@transaction.atomic
def _claim_for_email(notification_id: int) -> Notification | None:
    """The unsent notification, with this attempt counted; None when there is nothing to send."""
    notification = (
        Notification.objects.select_for_update()
        .select_related("recipient")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None or not notification.recipient.email:
        return None
    if user_is_digest_reader(notification.recipient_id):
        return None  # the daily digest will carry it
    notification.email_attempts += 1
    notification.save(update_fields=["email_attempts"])
    return notification


def notification_email_deliver(*, notification_id: int) -> bool:
    """Email one notification in its recipient's language; safe to run twice.

    Returns False when there is nothing to send (already sent, no address, digest reader).
    Raises EmailNotSent when the mail server fails: the attempt is counted and the row stays
    unsent for a retry or the sweep.
    """
    notification = _claim_for_email(notification_id)
    if notification is None:
        return False
    context = {"notification": notification, "site_url": email_base_url(notification.site_url)}
    try:
        with translation.override(notification_language(notification.recipient_id)):
            email_send(
                to=notification.recipient.email,
                subject=notification.title,
                template="forum/email/notification.txt",
                context=context,
            )
    except EmailNotSent as exc:
        logger.warning("Email for notification %s failed: %s", notification_id, exc)
        raise
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return True


def notification_email_requeue() -> int:
    """Queue again the emails never sent (the broker or the mail server was down); returns how many."""
    pending = notification_ids_awaiting_email(
        created_before=timezone.now() - SWEEP_DELAY,
        max_attempts=MAX_EMAIL_ATTEMPTS,
        limit=SWEEP_LIMIT,
    )
    for notification_id in pending:
        notification_email_wanted.send(sender=Notification, notification_id=notification_id)
    return len(pending)


def _digest_deliver_one(user_id: int, language: str) -> bool:
    pending = notification_list_for_digest(user_id, limit=DIGEST_LIMIT)
    if not pending or not pending[0].recipient.email:
        return False
    recipient = pending[0].recipient
    context = {
        "notifications": pending,
        "recipient": recipient,
        "site_url": email_base_url(pending[0].site_url),
    }
    try:
        with translation.override(language):
            count = ngettext(
                "本日のお知らせ（%(n)s件）", "本日のお知らせ（%(n)s件）", len(pending)
            ) % {"n": len(pending)}
            email_send(
                to=recipient.email,
                subject=count,
                template="forum/email/digest.txt",
                context=context,
            )
    except EmailNotSent as exc:
        logger.warning("Digest for user %s failed: %s", user_id, exc)
        return False
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    return True


@dataclass
class DigestRun:
    """What one digest run did: emails sent, and the last person served when it stopped early."""

    sent: int = 0
    stopped_after: int | None = None


def notification_digest_deliver(
    *, after_user_id: int = 0, out_of_time: Callable[[], bool] = lambda: False
) -> DigestRun:
    """Send each daily-digest reader one email with their unsent notifications.

    Readers are served in order of id, from after ``after_user_id``; when ``out_of_time``
    says so the run stops and names the last reader served, so another run goes on from
    there. A reader whose email fails keeps their notifications for the next digest.
    """
    run = DigestRun()
    for user_id, language in notification_digest_languages(after_user_id=after_user_id).items():
        run.sent += _digest_deliver_one(user_id, language)
        if out_of_time():
            run.stopped_after = user_id
            break
    return run
