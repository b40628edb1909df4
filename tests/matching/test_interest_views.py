from django.urls import reverse

import pytest

from forum.models import Field, Municipality, Organisation
from matching.models import Interest
from tests.forum.helpers import Client, company_member
from tests.matching.helpers import save_interest

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    user, _ = company_member()
    client.force_login(user)
    return user


def test_empty_list_explains_and_offers_the_first_interest(client, member):
    """With nothing saved, the page says what an interest does and links to the form."""
    body = client.get(reverse("interests:list")).content.decode()
    assert "まだ関心を登録していません" in body
    assert reverse("interests:create") in body


def test_person_without_an_approved_organisation_sees_how_to_join(client):
    """Someone not yet in an approved organisation is told why they cannot save one."""
    user, _ = company_member(status=Organisation.Status.PENDING)
    client.force_login(user)
    body = client.get(reverse("interests:list")).content.decode()
    assert "承認済みの団体に所属している必要があります" in body
    assert reverse("interests:create") not in body
    response = client.get(reverse("interests:create"))
    assert response.status_code == 302


def test_form_has_japanese_labels_and_saves_an_interest(client, member):
    """The create form is labelled in Japanese and a valid post saves and lists the interest."""
    body = client.get(reverse("interests:create")).content.decode()
    for label in (
        "名前",
        "分野",
        "技術",
        "市町村",
        "キーワード",
        "新しい課題が公開されたら通知する",
    ):
        assert label in body
    safety = Field.objects.get(slug="safety")
    sakai = Municipality.objects.get(code="271403")
    response = client.post(
        reverse("interests:create"),
        {
            "name": "堺市の防災",
            "fields": [safety.pk],
            "municipalities": [sakai.pk],
            "keywords": "ドローン、浸水\nUAV",
            "is_active": "on",
        },
        follow=True,
    )
    interest = Interest.objects.get(owner=member)
    assert interest.keywords == ["ドローン", "浸水", "UAV"]
    assert list(interest.fields.all()) == [safety]
    body = response.content.decode()
    assert "関心を保存しました" in body and "堺市の防災" in body and "ドローン、浸水、UAV" in body


def test_invalid_interest_keeps_the_input_and_says_why(client, member):
    """A post without criteria re-shows the form with the name kept and a Japanese message."""
    response = client.post(reverse("interests:create"), {"name": "条件なし", "keywords": "  "})
    body = response.content.decode()
    assert response.status_code == 200
    assert "少なくとも1つの条件を指定してください" in body
    assert 'value="条件なし"' in body
    assert not Interest.objects.exists()


def test_english_speakers_get_the_message_in_english(client, member):
    """After switching language, the same refusal reads in English."""
    client.cookies["django_language"] = "en"
    response = client.post(reverse("interests:create"), {"name": "x", "keywords": "!!!"})
    body = response.content.decode()
    assert "cannot be used as a keyword" in body


def test_edit_switch_and_delete_an_interest(client, member):
    """The owner changes the criteria, turns alerts off, and deletes after confirming."""
    interest = save_interest(member, name="AI", keywords=["AI"])
    edit = client.get(reverse("interests:edit", args=[interest.pk])).content.decode()
    assert "AI" in edit
    client.post(
        reverse("interests:edit", args=[interest.pk]),
        {"name": "AIとIoT", "keywords": "AI, IoT", "is_active": "on"},
    )
    interest.refresh_from_db()
    assert (interest.name, interest.keywords) == ("AIとIoT", ["AI", "IoT"])
    client.post(reverse("interests:toggle", args=[interest.pk]), {"active": "0"})
    interest.refresh_from_db()
    assert not interest.is_active
    assert "オフ" in client.get(reverse("interests:list")).content.decode()
    confirm = client.get(reverse("interests:delete", args=[interest.pk])).content.decode()
    assert "これまでに届いたお知らせは残ります" in confirm
    assert Interest.objects.filter(pk=interest.pk).exists()
    client.post(reverse("interests:delete", args=[interest.pk]))
    assert not Interest.objects.filter(pk=interest.pk).exists()


def test_other_peoples_interests_are_not_found(client, member):
    """Another member's interest is a 404 for every page and action."""
    other, _ = company_member()
    interest = save_interest(other, keywords=["AI"])
    for name in ("interests:edit", "interests:delete"):
        assert client.get(reverse(name, args=[interest.pk])).status_code == 404
    assert client.post(reverse("interests:toggle", args=[interest.pk])).status_code == 404
    assert client.post(reverse("interests:delete", args=[interest.pk])).status_code == 404
    assert Interest.objects.filter(pk=interest.pk, is_active=True).exists()


def test_changes_need_a_csrf_token_and_a_sign_in():
    """Posts without the CSRF token are refused; visitors are sent to sign in."""
    user, _ = company_member()
    interest = save_interest(user, keywords=["AI"])
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post(reverse("interests:delete", args=[interest.pk])).status_code == 403
    assert (
        strict.post(reverse("interests:create"), {"name": "x", "keywords": "AI"}).status_code == 403
    )
    visitor = Client()
    assert visitor.get(reverse("interests:list")).status_code == 302
    assert Interest.objects.count() == 1
