"""The English site's lists: every challenge, project, call or page title shows its English
version where it has one and marks the Japanese one it falls back to (forum/language.py)."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

import pytest

from forum.models import Challenge, Follow, Notification, Organisation, Project
from forum.services.departments import department_save
from forum.services.notifications import notification_preference_update
from forum.services.questions import question_ask
from search.services import index_rebuild
from tests.forum.call_fixtures import forum_call
from tests.forum.helpers import signed_in_with_mfa
from tests.forum.project_fixtures import make_crew, tell_public_story
from tests.forum.proposal_fixtures import published_challenge
from tests.forum.resident_fixtures import resident_of

pytestmark = pytest.mark.django_db

EN_TITLE = "Watching over irrigation ponds"
EN_SUMMARY = "We want to know the water level of our ponds."
PLAIN = "公園の照明を見直したい"
# How a Japanese title looks on the English site where it has no English version.
FALLBACK = (
    f'<span lang="ja">{PLAIN}</span> '
    '<span class="badge text-bg-light border fw-normal localized-fallback">Japanese only</span>'
)


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def two(cast):
    """The cast's challenge with an English version, and a second one with none."""
    cast.challenge.title_en = EN_TITLE
    cast.challenge.summary_en = EN_SUMMARY
    cast.challenge.save()
    plain = published_challenge(title=PLAIN, summary="夜の公園が暗い。", url="/challenges/plain/")
    return cast, plain


def test_question_queue_shows_english_titles_and_marks_the_japanese_one(client, two):
    """Municipality staff answering questions on the English site read the English title; the
    challenge with no English version is marked as Japanese."""
    cast, plain = two
    question_ask(actor=cast.proposer, challenge=cast.challenge, body="設置場所は？")
    question_ask(actor=cast.proposer, challenge=plain, body="照明の数は？")
    signed_in_with_mfa(client, cast.reviewer)
    html = _english(client).get(reverse("forum:question_queue")).content.decode()
    assert f">{EN_TITLE}</a>" in html and "ため池の見守り</a>" not in html
    assert FALLBACK in html


def test_japanese_site_shows_japanese_titles_unmarked(client, two):
    """On the Japanese site nothing is marked and no English is shown."""
    cast, plain = two
    question_ask(actor=cast.proposer, challenge=plain, body="照明の数は？")
    question_ask(actor=cast.proposer, challenge=cast.challenge, body="設置場所は？")
    signed_in_with_mfa(client, cast.reviewer)
    html = client.get(reverse("forum:question_queue")).content.decode()
    assert ">ため池の見守り</a>" in html and f">{PLAIN}</a>" in html
    assert EN_TITLE not in html and "localized-fallback" not in html


def test_proposal_list_and_member_home_show_the_english_challenge(client, two):
    """A company's proposals and the municipality's challenges to review name the challenge in
    English on the English site."""
    cast, _plain = two
    cast.proposal("submitted")
    client.force_login(cast.proposer)
    proposals = _english(client).get(reverse("forum:proposal_list")).content.decode()
    assert f"<td>{EN_TITLE}<br>" in proposals
    signed_in_with_mfa(client, cast.reviewer)
    home = client.get(reverse("forum:member_home")).content.decode()
    assert f">{EN_TITLE}</a>" in home


def test_residents_follows_show_the_english_title(client, two):
    """A resident's followed challenges are listed in English, the untranslated one marked."""
    cast, plain = two
    resident = resident_of(cast.challenge.municipality)
    Follow.objects.create(user=resident, challenge=cast.challenge)
    Follow.objects.create(user=resident, challenge=plain)
    client.force_login(resident)
    html = _english(client).get(reverse("residents:home")).content.decode()
    assert f">{EN_TITLE}</a>" in html and FALLBACK in html


def test_notifications_in_english_name_the_challenge_in_english(client, two):
    """Staff who read notifications in English are told of a question under the English title."""
    cast, _plain = two
    notification_preference_update(user=cast.reviewer, language="en")
    question_ask(actor=cast.proposer, challenge=cast.challenge, body="設置場所は？")
    notice = Notification.objects.get(recipient=cast.reviewer, verb="question.asked")
    assert EN_TITLE in notice.title and "ため池" not in notice.title
    signed_in_with_mfa(client, cast.reviewer)
    html = _english(client).get(reverse("forum:notifications")).content.decode()
    assert EN_TITLE in html


def test_call_pages_list_the_challenges_in_english(client, two):
    """A call's page lists its challenges in English and marks the untranslated one."""
    cast, plain = two
    call = forum_call(cast.secretariat)
    for challenge in (cast.challenge, plain):
        challenge.call = call
        challenge.save()
    _english(client)
    assert "FY2026 Call 1" in client.get(reverse("calls:list")).content.decode()
    detail = client.get(reverse("calls:detail", args=[call.slug])).content.decode()
    assert f'<span class="fw-semibold">{EN_TITLE}</span>' in detail
    assert FALLBACK in detail
    feed = client.get(reverse("calls:feed_rss", args=[call.slug])).content.decode()
    assert EN_TITLE in feed and f"<title>Sakai City: {PLAIN} (Japanese only)</title>" in feed


def test_challenge_feed_in_english(client, two):
    """The challenge feed read with the English site chosen gives English titles and summaries
    and says which items are only in Japanese; the Japanese feed is unchanged."""
    feed = _english(client).get("/feeds/challenges/rss/").content.decode()
    assert EN_TITLE in feed and EN_SUMMARY in feed
    assert f"<title>Sakai City: {PLAIN} (Japanese only)</title>" in feed
    assert "【" not in feed and "堺市" not in feed
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    japanese = client.get("/feeds/challenges/rss/").content.decode()
    assert "ため池の見守り" in japanese and EN_TITLE not in japanese
    assert f"<title>【堺市】{PLAIN}</title>" in japanese


def test_search_results_show_the_english_version(client, two):
    """A search on the English site shows a challenge's English title and summary; one without
    an English version is marked as Japanese."""
    index_rebuild()
    html = _english(client).get("/search/", {"q": "ため池"}).content.decode()
    assert EN_TITLE in html and EN_SUMMARY in html
    html = client.get("/search/", {"q": "公園"}).content.decode()
    assert "localized-fallback" in html and "Japanese only" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    japanese = client.get("/search/", {"q": "ため池"}).content.decode()
    assert EN_TITLE not in japanese and "localized-fallback" not in japanese


def test_secretariat_dashboard_names_stale_projects_in_english(client, db):
    """The secretariat's table of silent projects uses a project's English name."""
    crew = make_crew(title="見守りの実証")
    Project.objects.filter(pk=crew.project.pk).update(
        created_at=timezone.now() - timedelta(days=120), title_en="Pond watch trial"
    )
    signed_in_with_mfa(client, crew.secretariat)
    html = _english(client).get(reverse("forum:dashboard")).content.decode()
    assert ">Pond watch trial</a>" in html


def test_suggestions_and_the_board_name_challenges_in_english(client, db):
    """A member's suggested challenges (their page and their home's panel) and the secretariat's
    board of pairings use the English title."""
    from tests.matching.helpers import build_world

    world = build_world()
    Challenge.objects.filter(pk=world["challenge"].pk).update(title_en=EN_TITLE)
    client.force_login(world["member"])
    _english(client)
    suggestions = client.get(reverse("matching:member_suggestions")).content.decode()
    assert f">{EN_TITLE}</a>" in suggestions and "ため池の水位を見守りたい</a>" not in suggestions
    home = client.get(reverse("forum:member_home")).content.decode()
    assert f">{EN_TITLE}</a>" in home
    signed_in_with_mfa(client, world["secretariat"])
    board = client.get(reverse("matching:board")).content.decode()
    assert f">{EN_TITLE}</a>" in board


def test_department_page_lists_its_challenges_and_projects_in_english(client, cast):
    """A department's public page names its challenges and projects in English where they have
    an English version."""
    organisation = Organisation.objects.get(municipality__code="271403")
    department = department_save(
        actor=cast.secretariat,
        organisation=organisation,
        name="危機管理室",
        name_en="Crisis Management Office",
        slug="sakai-crisis",
        staff=[],
    )
    Challenge.objects.filter(pk=cast.challenge.pk).update(
        department=department, organisation=organisation, title_en=EN_TITLE
    )
    project = Project.objects.create(
        title="見守りの実証",
        title_en="Pond watch trial",
        field=cast.challenge.field,
        stage="poc",
        is_public=True,
        case_study="事例",
        department=department,
    )
    project.municipalities.set([cast.challenge.municipality])
    html = _english(client).get(reverse("departments:detail", args=["sakai-crisis"])).content
    html = html.decode()
    assert f">{EN_TITLE}</a>" in html and ">Pond watch trial</a>" in html


def test_public_projects_are_listed_and_shown_under_their_english_name(client, crew):
    """The projects list and a case study's page use the project's English name; a project
    without one is marked as Japanese in the list."""
    project = tell_public_story(crew)
    other = tell_public_story(make_crew(title="水位の実証"))
    Project.objects.filter(pk=project.pk).update(title_en="Pond watch project")
    _english(client)
    listing = client.get("/projects/").content.decode()
    assert ">Pond watch project</a>" in listing
    assert f'<span lang="ja">{other.title}</span>' in listing
    detail = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert '<h1 class="h3 mb-0">Pond watch project</h1>' in detail
