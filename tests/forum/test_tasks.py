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


@pytest.mark.django_db
def test_email_missed_by_the_broker_is_sent_once_by_the_sweep(django_capture_on_commit_callbacks):
    """A notice whose email was never queued is mailed by the sweep, and only once."""
    from datetime import timedelta

    from django.utils import timezone

    from forum.tasks import notification_email_sweep

    user = UserFactory()
    # Outside captured commit callbacks the email task is never queued: as if the broker was down.
    [notification] = notification_send(recipients=[user], verb="test", title="取りこぼし")
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(minutes=10)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_email_sweep.apply().get() == 1
    assert [m.subject for m in mail.outbox] == [
        "[大阪スマートシティパートナーズフォーラム] 取りこぼし"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_email_sweep.apply().get() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_digest_reader_gets_no_email_per_notice():
    """Someone who chose the daily digest is not mailed each notice; the digest carries it."""
    from forum.services.notifications import (
        notification_email_deliver,
        notification_preference_update,
    )

    user = UserFactory()
    notification_preference_update(user=user, email_mode="daily")
    [notification] = notification_send(recipients=[user], verb="test", title="まとめて")
    assert notification_email_deliver(notification_id=notification.pk) is False
    assert mail.outbox == []
    notification.refresh_from_db()
    assert (notification.emailed_at, notification.email_attempts) == (None, 0)


@pytest.mark.django_db
def test_invitation_email_failure_is_reported_for_a_retry(settings):
    """When the mail server is down, the invitation service says so and the task does not fail."""
    from forum.services.joining import invitation_create, invitation_email_deliver
    from forum.services.notifications import EmailNotSent
    from forum.tasks import invitation_email_send
    from tests.forum.helpers import company_member

    admin, organisation = company_member()
    invitation = invitation_create(actor=admin, organisation=organisation, email="new@example.jp")
    settings.EMAIL_BACKEND = "tests.forum.test_tasks.BrokenBackend"
    with pytest.raises(EmailNotSent):
        invitation_email_deliver(invitation_id=invitation.pk)
    assert invitation_email_send.apply(args=[invitation.pk]).get() is False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert invitation_email_send.apply(args=[invitation.pk]).get() is True
    assert mail.outbox[0].to == ["new@example.jp"]
