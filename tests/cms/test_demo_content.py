from io import StringIO

from django.conf import settings
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
    assert '<a class="link-light" href="/about/">フォーラムについて</a>' in home.content.decode()
    # English versions of the home page, the about page and a few challenges.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/").content.decode()
    assert "Connecting local challenges with the people who can solve them." in english
    assert '<a class="link-light" href="/about/">About the forum</a>' in english
    assert "How to take part" in client.get("/about/").content.decode()
    translated = Challenge.objects.filter(is_published=True).exclude(title_en="")
    assert translated.count() >= 3
    challenge = translated.first()
    detail = client.get(challenge.url).content.decode()
    assert challenge.title_en in detail and "not yet available in English" not in detail


def test_demo_is_indexed_and_matched_across_languages(django_capture_on_commit_callbacks):
    """After setup, the demo's challenges, solutions, public projects and residents' published
    needs are in the index, and the English chatbot profile is the first suggestion for the
    Japanese after-hours enquiry challenge."""
    from matching.selectors import solutions_for_challenge
    from search.models import IndexedDocument
    from search.services import index_check

    with django_capture_on_commit_callbacks(execute=True):
        call_command("setup_site", "--demo", stdout=StringIO())
    kinds = set(IndexedDocument.objects.values_list("doc_type", flat=True))
    assert kinds == {"challenge", "solution", "project", "need"}
    assert index_check().total == 0
    enquiries = Challenge.objects.get(title__startswith="市民からの問い合わせに")
    [first, *_] = solutions_for_challenge(enquiries, limit=3)
    assert first.entry.title == "AI-powered multilingual chatbot for city halls"
    assert "semantic" in {r.clause for r in first.suggestion.reasons}


def test_home_counts_the_organisations_the_directory_lists(client):
    """The home page's member-organisation figure equals the directory's count."""
    from forum.selectors.solutions import organisation_list_public

    call_command("setup_site", "--demo", stdout=StringIO())
    figures = client.get("/").context["key_figures"]
    assert figures["organisations"] == organisation_list_public().count() >= 1
