"""The notification page (forum/views/notifications.py): what is unread and what is new."""

from django.urls import reverse
from django.utils import timezone

import pytest

from forum.models import Notification
from tests.forum.helpers import company_member

pytestmark = pytest.mark.django_db


def test_unread_notifications_are_labelled_and_can_be_marked_read(client):
    """Unread notices carry a visible 未読 label and the mark-all button; once read, neither shows."""
    user, _organisation = company_member()
    Notification.objects.create(recipient=user, verb="test", title="提案が届きました")
    Notification.objects.create(
        recipient=user, verb="test", title="団体が承認されました", read_at=timezone.now()
    )
    client.force_login(user)

    html = client.get(reverse("forum:notifications")).content.decode()
    assert "<h1" in html and ">通知</h1>" in html
    assert html.count(">未読</span>") == 1
    assert "すべて既読にする" in html

    client.post(reverse("forum:notifications_mark_read"))
    html = client.get(reverse("forum:notifications")).content.decode()
    assert ">未読</span>" not in html
    assert "すべて既読にする" not in html


def test_no_notifications_explains_what_will_arrive(client):
    """A person without notifications is told what will appear on the page, in their language."""
    user, _organisation = company_member()
    client.force_login(user)
    assert "通知はまだありません。" in client.get(reverse("forum:notifications")).content.decode()

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(reverse("forum:notifications")).content.decode()
    assert "No notifications yet." in html
    assert ">Notifications</h1>" in html


def test_marking_read_leaves_other_peoples_notifications_unread(client):
    """「すべて既読にする」 marks the person's own notices only."""
    user, _organisation = company_member()
    other, _other_organisation = company_member()
    Notification.objects.create(recipient=user, verb="test", title="自分宛て")
    theirs = Notification.objects.create(recipient=other, verb="test", title="他の人宛て")
    client.force_login(user)
    client.post(reverse("forum:notifications_mark_read"))
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
