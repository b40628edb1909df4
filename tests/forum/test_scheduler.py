"""The embedded default's scheduler: the beat schedule's tasks run in process when due."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

import pytest
from celery import current_app

from cms.models import ChallengePage
from forum.management.commands.run_scheduler import InProcessScheduler, _pause
from tests.cms.factories import scheduled_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    """The site's page tree, under which challenges are published."""
    from cms.services import site_ensure

    return site_ensure()


def test_in_process_scheduler_runs_the_due_publishing_task(site):
    """With no broker, a tick of the scheduler runs scheduled publishing once it is due."""
    page = scheduled_challenge("組み込み構成で公開する課題")
    scheduler = InProcessScheduler(app=current_app)
    entry = scheduler.schedule["pages-publish-scheduled"]
    entry.last_run_at = timezone.now() - timedelta(minutes=2)
    scheduler.tick()
    assert ChallengePage.objects.get(pk=page.pk).live


def test_in_process_scheduler_waits_for_tasks_not_yet_due(site):
    """Right after start nothing is due: the tick asks to wait and publishes nothing."""
    page = scheduled_challenge("まだ実行されない予約")
    scheduler = InProcessScheduler(app=current_app)
    assert scheduler.tick() > 0
    assert not ChallengePage.objects.get(pk=page.pk).live


def test_scheduler_command_leaves_a_broker_setup_to_celery_beat(settings):
    """With a broker (tasks not eager) the command says to use celery beat and stops."""
    current_app.conf.task_always_eager = False
    try:
        out = StringIO()
        call_command("run_scheduler", stdout=out)
    finally:
        current_app.conf.task_always_eager = True
    assert "celery -A config beat" in out.getvalue()


def test_scheduler_never_sleeps_a_negative_time():
    """A tick whose tasks overran answers a negative wait; the loop runs again at once instead of
    stopping with an error (which left make run without scheduled publishing)."""
    assert _pause(-2.5) == 0.0
    assert _pause(None) == 0.0
    assert _pause(4.0) == 4.0
