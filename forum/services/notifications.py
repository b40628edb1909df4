"""In-app notifications, with email sent in the background, in each recipient's language."""

from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import translation

from forum.models import Notification, NotificationPreference
from forum.queue import enqueue
from forum.selectors.notifications import notification_languages

# A notice's text: a plain string (someone's own words), or a function that writes it out
# with gettext, called once for each language the recipients read.
Text = str | Callable[[], str]


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
    from forum.tasks import notification_email_send

    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    languages = notification_languages(unique)
    texts: dict[str, tuple[str, str]] = {}
    rows = []
    for pk, user in unique.items():
        language = languages[pk]
        if language not in texts:
            with translation.override(language):
                texts[language] = (_written(title), _written(body))
        written_title, written_body = texts[language]
        rows.append(
            Notification(
                recipient=user, verb=verb, title=written_title[:200], body=written_body, url=url
            )
        )
    notifications = Notification.objects.bulk_create(rows)
    for notification in notifications:
        enqueue(notification_email_send, notification.pk)
    return notifications


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
