"""Residents follow challenges and projects and hear of them like members, in their language."""

import re

from django.urls import reverse

import pytest

from forum.models import Follow, Municipality, Notification
from forum.services.errors import PermissionDenied
from forum.services.follows import follow_add
from forum.services.notifications import notification_preference_update
from forum.services.projects.lifecycle import project_publication_update
from forum.services.projects.stages import project_move_stage
from tests.forum.resident_fixtures import resident_of

pytestmark = pytest.mark.django_db

WITHDRAW = 'name="action" value="withdraw"'
UNFOLLOW = 'name="action" value="unfollow"'


def test_resident_follows_public_project_and_is_told_in_english(crew):
    """A resident who reads in English follows a public project and hears of its stage
    change in English, in-app (and by email through the usual delivery)."""
    resident = resident_of(Municipality.objects.get(name="堺市"))
    notification_preference_update(user=resident, language="en")
    with pytest.raises(PermissionDenied):
        follow_add(actor=resident, project=crew.project)  # private: not theirs to see
    project_publication_update(
        actor=crew.secretariat, project=crew.project, is_public=True, case_study="事例"
    )
    crew.project.refresh_from_db()
    assert follow_add(actor=resident, project=crew.project) is True
    project_move_stage(actor=crew.coordinator, project=crew.project, to_stage="poc_planning")
    notice = Notification.objects.get(recipient=resident)
    assert notice.title.startswith("The project")


def test_resident_follows_challenge_from_its_button(client, crew):
    """The follow button works for a verified resident; an unverified one is refused."""
    sakai = Municipality.objects.get(name="堺市")
    client.force_login(resident_of(sakai))
    client.post(reverse("forum:challenge_follow", args=[crew.challenge.pk]), {"action": "follow"})
    assert Follow.objects.filter(challenge=crew.challenge).count() == 1
    unverified = resident_of(sakai, verified=False)
    with pytest.raises(PermissionDenied):
        follow_add(actor=unverified, challenge=crew.challenge)


def test_own_page_lists_supports_and_follows_and_takes_them_back(client, crew):
    """/residents/ lists what the resident supports and follows; each can be withdrawn there,
    a second click withdraws nothing more, and a project made private drops out of the list."""
    from forum.models import Support
    from forum.services.supports import support_toggle

    sakai = Municipality.objects.get(name="堺市")
    resident = resident_of(sakai)
    project_publication_update(
        actor=crew.secretariat, project=crew.project, is_public=True, case_study="事例"
    )
    crew.project.refresh_from_db()
    follow_add(actor=resident, project=crew.project)
    follow_add(actor=resident, challenge=crew.challenge)
    support_toggle(actor=resident, challenge=crew.challenge)
    client.force_login(resident)
    home = reverse("residents:home")
    page = client.get(home).content.decode()
    assert page.count(WITHDRAW) == 1 and page.count(UNFOLLOW) == 2
    assert crew.project.title in page and crew.challenge.title in page

    withdraw = reverse("residents:support", args=["challenge", crew.challenge.pk])
    response = client.post(withdraw, {"action": "withdraw", "next": home})
    assert response["Location"] == home
    assert not Support.objects.filter(user=resident).exists()
    client.post(withdraw, {"action": "withdraw", "next": home})
    assert not Support.objects.filter(user=resident).exists()

    response = client.post(
        reverse("forum:challenge_follow", args=[crew.challenge.pk]),
        {"action": "unfollow", "next": home},
    )
    assert response["Location"] == home
    assert not Follow.objects.filter(user=resident, challenge=crew.challenge).exists()
    page = client.get(home).content.decode()
    assert WITHDRAW not in page and page.count(UNFOLLOW) == 1

    project_publication_update(
        actor=crew.secretariat, project=crew.project, is_public=False, case_study="事例"
    )
    page = client.get(home).content.decode()
    assert crew.project.title not in page and UNFOLLOW not in page
    evil = client.post(withdraw, {"next": "https://evil.example/"})
    assert evil["Location"] != "https://evil.example/"


def test_own_page_names_each_item_in_the_singular_in_english(client, crew, settings):
    """On the English /residents/ one supported or followed challenge reads "Challenge · Sakai
    City" and a followed project "Project", not the menu's plural."""
    from forum.services.supports import support_toggle

    resident = resident_of(Municipality.objects.get(name="堺市"))
    project_publication_update(
        actor=crew.secretariat, project=crew.project, is_public=True, case_study="事例"
    )
    follow_add(actor=resident, project=crew.project)
    follow_add(actor=resident, challenge=crew.challenge)
    support_toggle(actor=resident, challenge=crew.challenge)
    client.force_login(resident)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("residents:home")).content.decode()
    assert re.search(r">Challenge\s+·\s+Sakai City</div>", page)
    assert not re.search(r"Challenges\s+·", page)
    assert '<div class="small text-body-secondary">Project</div>' in page
    assert '<div class="small text-body-secondary">Challenge</div>' in page
