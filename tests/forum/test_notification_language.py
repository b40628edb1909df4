"""Notifications and their emails in each recipient's language (their notification settings)."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from forum.models import Membership, Notification, NotificationPreference
from forum.services.joining import join_request_create
from forum.services.notifications import notification_preference_update
from forum.services.projects.tracking import project_report_submit
from forum.tasks import notification_digest_send
from tests.forum.helpers import company_member, member_of

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-for-tests-2026"


def test_each_admin_reads_the_same_notice_in_their_own_language(
    django_capture_on_commit_callbacks,
):
    """A join request tells a Japanese and an English admin, each in their language, by email too."""
    japanese, organisation = company_member()
    english = member_of(organisation, role=Membership.Role.ADMIN)
    notification_preference_update(user=english, language="en")
    applicant, _other = company_member()
    applicant.display_name = "Alex"
    applicant.save()

    with django_capture_on_commit_callbacks(execute=True):
        join_request_create(user=applicant, organisation=organisation)

    titles = dict(
        Notification.objects.filter(verb="join_request.created").values_list(
            "recipient_id", "title"
        )
    )
    assert titles[japanese.pk] == "Alexさんから参加申請がありました"
    assert "Alex" in titles[english.pk] and "さん" not in titles[english.pk]
    emails = {m.to[0]: m for m in mail.outbox}
    english_email = emails[english.email]
    assert english_email.subject == (f"[Osaka Smart City Partners Forum] {titles[english.pk]}")
    assert english_email.body.startswith(f"Dear {english},")
    assert "様" not in english_email.body
    japanese_email = emails[japanese.email]
    assert japanese_email.subject.startswith("[大阪スマートシティパートナーズフォーラム] ")
    assert japanese_email.body.startswith(f"{japanese} 様")


def test_dates_and_stage_names_follow_the_recipient(crew, django_capture_on_commit_callbacks):
    """A progress report reaches an English-reading participant with an English date."""
    reader = crew.company
    notification_preference_update(user=reader, language="en")
    reported_on = timezone.localdate() - timedelta(days=1)
    project_report_submit(
        actor=crew.coordinator, project=crew.project, reported_on=reported_on, body="報告"
    )
    notice = Notification.objects.get(recipient=reader, verb="project.report")
    assert "年" not in notice.title and str(reported_on.year) in notice.title
    others = Notification.objects.filter(verb="project.report").exclude(recipient=reader)
    assert others and all(f"{reported_on.year}年" in n.title for n in others)


def test_daily_digest_is_written_in_the_recipient_language():
    user, _organisation = company_member()
    notification_preference_update(user=user, email_mode="daily", language="en")
    Notification.objects.create(recipient=user, verb="test", title="One")
    Notification.objects.create(recipient=user, verb="test", title="Two")
    assert notification_digest_send() == 1
    (message,) = mail.outbox
    assert message.subject == "[Osaka Smart City Partners Forum] Today's notifications (2)"
    assert "You have 2 notifications today." in message.body


def test_settings_page_saves_the_language_and_keeps_the_email_mode(client):
    user, _organisation = company_member()
    notification_preference_update(user=user, email_mode="daily")
    client.force_login(user)
    page = client.get(reverse("forum:notification_settings")).content.decode()
    assert "お知らせとメールの言語" in page and "English" in page

    response = client.post(
        reverse("forum:notification_settings"), {"email_mode": "daily", "language": "en"}
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=user)
    assert (preference.email_mode, preference.language) == ("daily", "en")

    refused = client.post(
        reverse("forum:notification_settings"), {"email_mode": "daily", "language": "fr"}
    )
    assert refused.status_code == 200
    assert "正しく選択してください。" in refused.content.decode()
    assert NotificationPreference.objects.get(user=user).language == "en"


def test_signing_up_in_english_chooses_english_notifications(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post(
        reverse("account_signup"),
        {"email": "alex@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert NotificationPreference.objects.get(user__email="alex@example.com").language == "en"


def test_signing_up_in_japanese_keeps_the_default(client):
    client.post(
        reverse("account_signup"),
        {"email": "hanako@example.jp", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert not NotificationPreference.objects.filter(user__email="hanako@example.jp").exists()


def test_signing_in_on_a_new_device_shows_the_chosen_language(client):
    """Someone who receives notifications in English sees the site in English after signing in,
    unless this browser already chose a language."""
    user, _organisation = company_member()
    user.set_password(PASSWORD)
    user.save()
    notification_preference_update(user=user, language="en")
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "en"
    assert 'lang="en"' in client.get(reverse("forum:member_home")).content.decode()

    client.logout()
    client.post("/i18n/setlang/", {"language": "ja", "next": "/"})
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert client.cookies["django_language"].value == "ja"
    assert 'lang="ja"' in client.get(reverse("forum:member_home")).content.decode()
