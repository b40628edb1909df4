import time

from django.core import mail

import pytest

from forum.models import Notification
from forum.services.notifications import notification_send
from tests.factories import UserFactory


@pytest.mark.redis
def test_notification_email_runs_through_real_worker(celery_worker_on_redis):
    """A notification's email is delivered by a Celery worker consuming from Redis."""
    user = UserFactory()
    [notification] = notification_send(
        recipients=[user], verb="test", title="テストのお知らせ", body="本文"
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.emailed_at is not None:
            break
        time.sleep(0.1)
    assert notification.emailed_at is not None
    assert notification.email_attempts == 1
    assert any(message.subject.endswith("テストのお知らせ") for message in mail.outbox)


@pytest.mark.django_db
def test_notification_survives_broken_mail_server(settings):
    """When sending mail fails, the notification row stays and is left for the sweep."""
    settings.EMAIL_BACKEND = "tests.forum.test_tasks.BrokenBackend"
    user = UserFactory()
    [notification] = notification_send(recipients=[user], verb="test", title="件名")
    from forum.tasks import notification_email_send

    assert notification_email_send.apply(args=[notification.pk]).get() is False
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert notification.email_attempts == 1
    assert Notification.objects.filter(pk=notification.pk).exists()


class BrokenBackend:
    """A mail backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")
