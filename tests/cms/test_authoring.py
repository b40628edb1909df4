from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

import pytest

from cms.models import ChallengePage
from forum.models import Challenge, Field, Notification
from tests.cms.factories import challenge_page, municipality_place, staff_of
from tests.forum.helpers import secretariat_user

pytestmark = pytest.mark.django_db

SAKAI, SUITA = "271403", "272051"


def _form(title: str, **overrides) -> dict:
    data = {
        "title": title,
        "slug": f"challenge-{abs(hash(title)) % 10**8}",
        "field": Field.objects.get(slug="safety").pk,
        "summary": "河川の状況を安全に把握したい。",
        "background": "",
        "wanted": "",
        "desired_stage": "poc",
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "contact": "",
        "data_available": streamfield([]),
        "body": streamfield([]),
        "body_en": streamfield([]),
        "attachments": inline_formset([]),
        "comments": inline_formset([]),
    }
    data.update(overrides)
    return nested_form_data(data)


def _add_url(index) -> str:
    return reverse("wagtailadmin_pages:add", args=["cms", "challengepage", index.pk])


def test_staff_creates_only_in_own_municipality(client, site):
    """Sakai's staff can open the add form in Sakai's place but not in Suita's."""
    _, sakai_index = municipality_place(SAKAI)
    _, suita_index = municipality_place(SUITA)
    client.force_login(staff_of(SAKAI))
    assert client.get(_add_url(sakai_index)).status_code == 200
    response = client.get(_add_url(suita_index))
    assert response.status_code in {302, 403}
    response = client.post(
        _add_url(suita_index), _form("他市への不正な課題", **{"action-submit": "Submit"})
    )
    assert response.status_code in {302, 403}
    assert not ChallengePage.objects.filter(title="他市への不正な課題").exists()


def test_staff_cannot_edit_or_publish_other_municipality(client, site):
    """Editing another municipality's challenge is refused and changes nothing."""
    page = challenge_page(SUITA, title="吹田市の課題")
    client.force_login(staff_of(SAKAI))
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert client.get(edit_url).status_code in {302, 403}
    client.post(edit_url, _form("書き換え", **{"action-publish": "Publish"}))
    page.refresh_from_db()
    assert page.title == "吹田市の課題"


def test_staff_publish_attempt_does_not_publish(client, site):
    """Municipality staff lack publish rights: an attempt leaves the page unpublished."""
    _, index = municipality_place(SAKAI)
    client.force_login(staff_of(SAKAI))
    client.post(_add_url(index), _form("公開を試みる課題", **{"action-publish": "Publish"}))
    page = ChallengePage.objects.filter(title="公開を試みる課題").first()
    assert page is None or not page.live
    assert not Challenge.objects.filter(title="公開を試みる課題", is_published=True).exists()


def test_submitted_challenge_is_public_only_after_secretariat_approval(
    client, site, django_capture_on_commit_callbacks
):
    """Submit → hidden from the public list → secretariat approves → listed and staff notified."""
    _, index = municipality_place(SAKAI)
    staff = staff_of(SAKAI)
    client.force_login(staff)
    response = client.post(
        _add_url(index), _form("ため池の水位を遠隔で見守りたい", **{"action-submit": "Submit"})
    )
    assert response.status_code == 302
    page = ChallengePage.objects.get(title="ため池の水位を遠隔で見守りたい")
    assert not page.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    client.logout()
    assert "ため池の水位" not in client.get("/challenges/").content.decode()
    assert not Challenge.objects.filter(page_id=page.pk, is_published=True).exists()

    client.force_login(secretariat_user())
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.current_task_state.pk]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(approve_url, {"comment": ""})
    assert response.status_code in {200, 302}
    page.refresh_from_db()
    assert page.live
    record = Challenge.objects.get(page_id=page.pk)
    assert record.is_published and record.municipality.code == SAKAI
    client.logout()
    assert "ため池の水位" in client.get("/challenges/").content.decode()
    assert Notification.objects.filter(
        recipient=staff, verb="challenge.moderated", title__contains="承認"
    ).exists()


def test_requested_changes_notify_staff_and_keep_hidden(client, site):
    """When the secretariat asks for changes, the page stays hidden and the author is told why."""
    _, index = municipality_place(SAKAI)
    staff = staff_of(SAKAI)
    client.force_login(staff)
    client.post(_add_url(index), _form("修正が必要な課題", **{"action-submit": "Submit"}))
    page = ChallengePage.objects.get(title="修正が必要な課題")
    state = WorkflowState.objects.get(object_id=str(page.pk))
    client.force_login(secretariat_user())
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "reject", state.current_task_state.pk]
    )
    client.post(url, {"comment": "予算の記載をお願いします"})
    page.refresh_from_db()
    assert not page.live
    note = Notification.objects.get(recipient=staff, verb="challenge.moderated")
    assert "修正の依頼" in note.title
    assert "予算の記載をお願いします" in note.body


def test_past_deadline_is_refused_with_message(client, site):
    """A deadline in the past gets a clear error and no page is created."""
    _, index = municipality_place(SAKAI)
    client.force_login(staff_of(SAKAI))
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        _add_url(index), _form("締切が過去の課題", deadline=yesterday, **{"action-submit": "x"})
    )
    assert response.status_code == 200
    assert "募集締切が過去の日付です" in response.content.decode()
    assert not ChallengePage.objects.filter(title="締切が過去の課題").exists()


def test_missing_required_fields_are_reported(client, site):
    """Missing field, summary and deadline are reported and nothing is saved."""
    _, index = municipality_place(SAKAI)
    client.force_login(staff_of(SAKAI))
    response = client.post(
        _add_url(index),
        _form("必須項目なし", field="", summary="", deadline="", **{"action-submit": "x"}),
    )
    assert response.status_code == 200
    assert "この項目は必須です" in response.content.decode()
    assert not ChallengePage.objects.filter(title="必須項目なし").exists()


def test_budget_range_must_be_ordered(client, site):
    """A maximum below the minimum is refused."""
    _, index = municipality_place(SAKAI)
    client.force_login(staff_of(SAKAI))
    response = client.post(
        _add_url(index),
        _form("予算が逆の課題", budget_min="5000", budget_max="1000", **{"action-submit": "x"}),
    )
    assert response.status_code == 200
    assert "予算の上限は下限以上にしてください" in response.content.decode()


def test_submission_message_uses_the_forums_words(client, site):
    """After 「事務局の承認に提出する」 the message says the challenge went to the secretariat's
    approval, in the words of the button, not Wagtail's 「調整のために提出」."""
    _, index = municipality_place(SAKAI)
    client.force_login(staff_of(SAKAI))
    client.post(_add_url(index), _form("水路のごみを減らしたい"))
    page = ChallengePage.objects.get(title="水路のごみを減らしたい")
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        _form("水路のごみを減らしたい", slug=page.slug, **{"action-submit": "Submit"}),
        follow=True,
    )
    body = response.content.decode()
    assert "ページ「水路のごみを減らしたい」を事務局の承認に提出しました。" in body
    assert "調整のために提出" not in body
    response = client.post(
        _add_url(index), _form("ため池の柵を直したい", **{"action-submit": "Submit"}), follow=True
    )
    body = response.content.decode()
    assert "ページ「ため池の柵を直したい」を作成し、事務局の承認に提出しました。" in body
