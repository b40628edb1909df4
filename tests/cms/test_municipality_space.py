from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from wagtail.models import GroupPagePermission

import pytest

from cms.models import ChallengeIndexPage, ChallengePage
from forum.models import Challenge, Municipality, Organisation
from forum.services.organisations import organisation_approve
from tests.cms.factories import challenge_page
from tests.forum.helpers import member_of, secretariat_user

pytestmark = pytest.mark.django_db


def test_approving_municipality_creates_its_place_and_group(
    site, django_capture_on_commit_callbacks
):
    """Approval gives the municipality a challenge index, a staff group with add/change rights and its members."""
    toyonaka = Municipality.objects.get(code="272035")
    organisation = Organisation.objects.create(
        name="豊中市", kind="municipality", municipality=toyonaka
    )
    staff = member_of(organisation)
    with django_capture_on_commit_callbacks(execute=True):
        organisation_approve(actor=secretariat_user(), organisation=organisation)
    index = ChallengeIndexPage.objects.get(municipality=toyonaka)
    group = Group.objects.get(name="市町村職員: 豊中市")
    codenames = set(
        GroupPagePermission.objects.filter(group=group, page=index).values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page"}
    staff.refresh_from_db()
    assert staff.groups.filter(pk=group.pk).exists()


def test_scheduled_expiry_withdraws_the_record(site):
    """A challenge that expires through Wagtail's scheduling leaves the public record."""
    from django.core.management import call_command

    page = challenge_page("272035", title="期限つきの課題")
    ChallengePage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    call_command("publish_scheduled")
    assert not Challenge.objects.get(page_id=page.pk).is_published
