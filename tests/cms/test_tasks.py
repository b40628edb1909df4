"""Scheduled publishing: the beat schedule runs Wagtail's publisher, and a due page goes live."""

from django.conf import settings

import pytest

from cms.tasks import publish_scheduled_pages
from forum.models import Challenge
from tests.cms.factories import scheduled_challenge

pytestmark = pytest.mark.django_db


def test_beat_schedule_publishes_scheduled_pages_every_few_minutes():
    """Beat runs the scheduled publisher at least every five minutes (9:00 is live by 9:05)."""
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "cms.tasks.publish_scheduled_pages"
    ]
    assert len(entries) == 1
    assert float(entries[0]["schedule"]) <= 300


def test_scheduled_challenge_whose_time_came_goes_live_when_the_task_runs(site):
    """The periodic task publishes the page and writes the public record proposals read."""
    page = scheduled_challenge("9時に公開する課題")
    assert not Challenge.objects.filter(page_id=page.pk, is_published=True).exists()
    publish_scheduled_pages.delay()
    page.refresh_from_db()
    assert page.live
    assert Challenge.objects.get(page_id=page.pk).is_published
