from io import StringIO

from django.core.management import call_command

import pytest

from cms.models import ChallengePage, EventPage, NewsPage
from forum.models import Challenge, SolutionProfile

pytestmark = pytest.mark.django_db


def test_setup_site_demo_builds_a_realistic_site_once(client):
    """The demo has 30+ published challenges in all 7 fields and 16+ municipalities; a rerun adds nothing."""
    out = StringIO()
    call_command("setup_site", "--demo", stdout=out)
    assert "secretariat@example.jp" in out.getvalue()
    published = Challenge.objects.filter(is_published=True)
    assert published.count() >= 30
    assert published.values("field").distinct().count() == 7
    assert published.values("municipality").distinct().count() >= 16
    assert NewsPage.objects.live().count() >= 3 and EventPage.objects.live().count() >= 3
    assert SolutionProfile.objects.filter(is_published=True).count() >= 3
    counts = (ChallengePage.objects.count(), SolutionProfile.objects.count())
    call_command("setup_site", "--demo", stdout=StringIO())
    assert (ChallengePage.objects.count(), SolutionProfile.objects.count()) == counts
    home = client.get("/")
    assert home.status_code == 200
    assert "募集中の地域課題" in home.content.decode()
