"""In-app notifications, with email sent in the background."""

from collections.abc import Iterable

from django.db import transaction

from forum.models import Notification
from forum.queue import enqueue


@transaction.atomic
def notification_send(
    *, recipients: Iterable, verb: str, title: str, body: str = "", url: str = ""
) -> list[Notification]:
    """Create one notification per recipient and queue its email after commit.

    The row is the record: if the mail server or the broker is down, the status change that
    caused the notice still commits and the email is retried by the periodic sweep.
    """
    from forum.tasks import notification_email_send

    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    notifications = Notification.objects.bulk_create(
        [
            Notification(recipient=user, verb=verb, title=title[:200], body=body, url=url)
            for user in unique.values()
        ]
    )
    for notification in notifications:
        enqueue(notification_email_send, notification.pk)
    return notifications
