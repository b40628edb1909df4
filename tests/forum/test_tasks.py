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


class SpentAfterOneStep:
    """A work budget that runs out after each step, as a long run in a worker would."""

    def __init__(self, task=None):
        pass

    def spent(self) -> bool:
        return True


@pytest.mark.django_db
def test_digest_out_of_time_leaves_the_next_people_to_a_new_task(
    monkeypatch, django_capture_on_commit_callbacks
):
    """A digest run that spends its time budget hands the people after it to a new task, so
    everyone gets exactly one digest however many runs it takes."""
    from forum.models import NotificationPreference
    from forum.tasks import notification_digest_send

    people = [UserFactory() for _ in range(3)]
    for person in people:
        NotificationPreference.objects.create(user=person, email_mode="daily")
        notification_send(recipients=[person], verb="test", title=f"{person.pk}へのお知らせ")
    mail.outbox.clear()
    monkeypatch.setattr("forum.tasks.WorkBudget", SpentAfterOneStep)
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_digest_send.apply().get() == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in people)
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_work_budget_of_a_task_run_in_process_never_runs_out(settings):
    """In process (the embedded default, or called directly) a task finishes in one go."""
    from forum.queue import WorkBudget
    from forum.tasks import notification_digest_send

    settings.TASK_WORK_BUDGET = 0
    assert not WorkBudget(notification_digest_send).spent()
    assert not WorkBudget().spent()


@pytest.mark.django_db
def test_hourly_purge_forgets_keys_and_form_tokens_older_than_a_day(settings):
    """Beat runs the purge; it removes day-old API keys and form tokens and keeps recent ones."""
    from datetime import timedelta

    from django.utils import timezone

    from forum.models import FormSubmission, IdempotencyKey
    from forum.tasks import submissions_purge_task

    assert any(
        entry["task"] == "forum.tasks.submissions_purge_task"
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
    )
    user = UserFactory()
    old = timezone.now() - timedelta(hours=25)
    IdempotencyKey.objects.create(user=user, key="old", method="POST", path="/", created_at=old)
    IdempotencyKey.objects.create(user=user, key="new", method="POST", path="/")
    FormSubmission.objects.create(user=user, token="a" * 32, path="/", created_at=old)
    assert submissions_purge_task.delay().get() == 2
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    assert not FormSubmission.objects.exists()
