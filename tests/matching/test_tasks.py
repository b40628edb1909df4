import time
from datetime import timedelta

from django.utils import timezone

import pytest

from forum.models import Challenge, Notification
from matching.models import ChallengeAlert
from matching.tasks import alert_index_sync, challenge_alerts_deliver, challenge_alerts_sweep
from search.backends.percolator import PercolatorUnavailable
from search.models import IndexOutbox
from tests.forum.helpers import company_member
from tests.matching.helpers import publish_challenge, save_interest

pytestmark = pytest.mark.django_db


def _alerts_for(user) -> int:
    return Notification.objects.filter(recipient=user, verb="interest.matched").count()


def test_publishing_a_challenge_alerts_after_commit(django_capture_on_commit_callbacks):
    """The forum's publish signal enqueues the alert task, which notifies after the commit."""
    member, _ = company_member()
    save_interest(member, keywords=["ドローン"])
    with django_capture_on_commit_callbacks(execute=True):
        challenge = publish_challenge()
    assert _alerts_for(member) == 1
    assert ChallengeAlert.objects.filter(challenge=challenge).exists()


def test_elasticsearch_down_never_fails_a_publish(settings, django_capture_on_commit_callbacks):
    """With the cluster unreachable the challenge is saved and the alert still goes out in process."""
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    member, _ = company_member()
    with django_capture_on_commit_callbacks(execute=True):
        save_interest(member, keywords=["drone"])
    with django_capture_on_commit_callbacks(execute=True):
        challenge = publish_challenge()
    challenge.refresh_from_db()
    assert challenge.is_published
    assert _alerts_for(member) == 1
    pending = IndexOutbox.objects.get(doc_type="challenge", object_id=challenge.pk)
    assert pending.processed_at is None and pending.last_error


def test_percolator_outage_in_a_worker_retries_with_growing_delay(monkeypatch):
    """In a worker, an unreachable percolator makes the task retry later instead of giving up."""
    challenge = publish_challenge()
    calls = []

    def unavailable(**kwargs):
        calls.append(kwargs)
        raise PercolatorUnavailable("connection refused")

    class Retried(Exception):
        pass

    def retry(exc=None, countdown=None, **kwargs):
        raise Retried(countdown)

    monkeypatch.setattr("matching.services.challenge_alerts_send", unavailable)
    monkeypatch.setattr(challenge_alerts_deliver, "retry", retry)
    challenge_alerts_deliver.push_request(retries=2, is_eager=False, called_directly=False)
    try:
        with pytest.raises(Retried) as raised:
            challenge_alerts_deliver.run(challenge.pk)
    finally:
        challenge_alerts_deliver.pop_request()
    assert raised.value.args == (120,)
    assert calls == [{"challenge_id": challenge.pk}]


def test_broker_down_at_publish_is_caught_up_by_the_sweep(
    monkeypatch, django_capture_on_commit_callbacks
):
    """If the task could not be queued, the periodic sweep announces the challenge later."""
    member, _ = company_member()
    save_interest(member, keywords=["ドローン"])

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("redis is down")

    with monkeypatch.context() as patched:
        patched.setattr(challenge_alerts_deliver, "apply_async", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            challenge = publish_challenge()
    assert Challenge.objects.get(pk=challenge.pk).is_published
    assert _alerts_for(member) == 0
    assert challenge_alerts_sweep.apply().get() == 1
    assert _alerts_for(member) == 1
    assert challenge_alerts_sweep.apply().get() == 0


def test_sweep_leaves_old_and_already_announced_challenges_alone():
    """Only recent, open, not yet announced challenges are picked up."""
    member, _ = company_member()
    save_interest(member, keywords=["ドローン"])
    old = publish_challenge(first_published_at=timezone.now() - timedelta(days=30))
    announced = publish_challenge()
    ChallengeAlert.objects.create(challenge=announced)
    assert challenge_alerts_sweep.apply().get() == 0
    assert _alerts_for(member) == 0
    assert not ChallengeAlert.objects.filter(challenge=old).exists()


def test_rule_sync_with_the_cluster_down_is_logged_not_raised(settings):
    """Saving rules while Elasticsearch is down leaves them for the next sync."""
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    member, _ = company_member()
    save_interest(member, keywords=["ドローン"])
    assert alert_index_sync.apply().get() == 0


@pytest.mark.redis
def test_a_real_worker_delivers_the_alert(celery_worker_on_redis):
    """Publishing with Celery on Redis: the worker matches and notifies the member."""
    member, _ = company_member()
    save_interest(member, keywords=["ドローン"])
    publish_challenge()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not _alerts_for(member):
        time.sleep(0.1)
    assert _alerts_for(member) == 1
