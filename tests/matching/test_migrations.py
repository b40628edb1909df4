import importlib

from django.apps import apps

import pytest

from matching.models import ChallengeAlert
from tests.forum.proposal_fixtures import published_challenge

pytestmark = pytest.mark.django_db


def test_challenges_published_before_alerts_count_as_announced():
    """The data migration marks existing published challenges so their next edit alerts nobody."""
    migration = importlib.import_module("matching.migrations.0002_existing_challenges_alerted")
    live = published_challenge()
    draft = published_challenge(title="下書き", is_published=False)
    migration.mark_published(apps, None)
    migration.mark_published(apps, None)
    assert set(ChallengeAlert.objects.values_list("challenge_id", flat=True)) == {live.pk}
    assert not ChallengeAlert.objects.filter(challenge=draft).exists()
