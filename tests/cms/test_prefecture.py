"""The prefecture (大阪府) joins as a municipality organisation through the application form
and its bureaus post challenges like any municipality."""

from django.urls import reverse

from wagtail.models import WorkflowState

import pytest

from cms.models import ChallengeIndexPage, ChallengePage
from forum.models import Challenge, Municipality, Organisation
from forum.services.departments import department_save
from forum.services.organisations import organisation_approve
from tests.cms.test_authoring import _add_url, _form
from tests.factories import UserFactory
from tests.forum.helpers import secretariat_user, with_totp

pytestmark = pytest.mark.django_db

PREFECTURE = "270008"


def test_prefecture_registers_through_the_form_and_posts_a_challenge(
    client, site, django_capture_on_commit_callbacks
):
    """大阪府 applies as a municipality, is approved, gets its place in the page tree, names its
    bureau and posts a challenge that the secretariat publishes under the prefecture."""
    prefecture = Municipality.objects.get(code=PREFECTURE)
    assert prefecture.kind == Municipality.Kind.PREFECTURE
    applicant = with_totp(UserFactory())
    client.force_login(applicant)
    form = client.get(reverse("forum:organisation_apply")).content.decode()
    assert f'value="{prefecture.pk}"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("forum:organisation_apply"),
            {"name": "大阪府", "kind": "municipality", "municipality": prefecture.pk},
        )
    assert response.status_code == 302
    organisation = Organisation.objects.get(municipality=prefecture)
    assert organisation.kind == Organisation.Kind.MUNICIPALITY
    secretariat = secretariat_user()
    with django_capture_on_commit_callbacks(execute=True):
        organisation_approve(actor=secretariat, organisation=organisation)
    index = ChallengeIndexPage.objects.get(municipality=prefecture)
    bureau = department_save(
        actor=applicant,
        organisation=organisation,
        name="スマートシティ戦略部",
        slug="osaka-pref-smartcity",
    )

    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _add_url(index),
            _form(
                "府管理道路の損傷をLINEで受け付けたい",
                department=bureau.pk,
                responsible_post="スマートシティ戦略部長",
                **{"action-submit": "Submit"},
            ),
        )
    assert response.status_code == 302
    page = ChallengePage.objects.get(title="府管理道路の損傷をLINEで受け付けたい")
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    client.force_login(secretariat)
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.current_task_state.pk]
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(approve, {"comment": ""})
    record = Challenge.objects.get(page_id=page.pk, is_published=True)
    assert (record.municipality, record.organisation, record.department) == (
        prefecture,
        organisation,
        bureau,
    )
    client.logout()
    listing = client.get("/challenges/", {"municipality": PREFECTURE}).content.decode()
    assert "府管理道路の損傷をLINEで受け付けたい" in listing
    department_page = client.get(reverse("departments:detail", args=["osaka-pref-smartcity"]))
    assert "府管理道路の損傷をLINEで受け付けたい" in department_page.content.decode()
