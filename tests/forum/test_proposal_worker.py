import time

from django.core import mail

import pytest

from forum.models import Notification


@pytest.mark.redis
def test_proposal_notifications_are_emailed_by_a_real_worker(cast, celery_worker_on_redis):
    """Submitting a proposal emails the municipality's staff through Celery on Redis."""
    cast.proposal("submitted")
    note = Notification.objects.get(recipient=cast.reviewer, verb="proposal.received")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        note.refresh_from_db()
        if note.emailed_at:
            break
        time.sleep(0.1)
    assert note.emailed_at is not None
    assert any(cast.reviewer.email in m.to and "提案が届きました" in m.subject for m in mail.outbox)
