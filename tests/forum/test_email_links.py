"""Links in emails lead to where the site was reached (forum/request_origin.py), else SITE_URL."""

from django.core import mail
from django.urls import reverse

import pytest

from forum.middleware import RequestOriginMiddleware
from forum.models import Invitation, Notification, NotificationPreference
from forum.services.notifications import notification_digest_deliver, notification_send
from tests.forum.helpers import company_member

pytestmark = pytest.mark.django_db

HOST = "forum.example.test:8106"


@pytest.fixture
def served_elsewhere(settings):
    """The site runs on another host and port than the configured SITE_URL."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "forum.example.test"]
    settings.SITE_URL = "https://configured.example.jp"


def test_invitation_email_links_to_the_host_and_port_the_inviter_used(
    client, served_elsewhere, django_capture_on_commit_callbacks
):
    """An invitation sent from the member area on another port links to that port's site."""
    admin, organisation = company_member()
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("forum:invitation_create", args=[organisation.pk]),
            {"email": "new@example.jp", "role": "member"},
            HTTP_HOST=HOST,
        )
    invitation = Invitation.objects.get(organisation=organisation)
    link = f"http://{HOST}{reverse('forum:invitation_accept', args=[invitation.token])}"
    assert link in mail.outbox[-1].body
    assert "127.0.0.1:8000" not in mail.outbox[-1].body
    assert "configured.example.jp" not in mail.outbox[-1].body


def test_notification_caused_by_a_request_links_to_its_origin(
    rf, served_elsewhere, django_capture_on_commit_callbacks
):
    """A notice sent while serving a request links to that request's scheme, host and port."""
    user, _organisation = company_member()

    def view(request):
        notification_send(recipients=[user], verb="test", title="提案が届きました", url="/me/")
        return None

    request = rf.get("/", HTTP_HOST=HOST, secure=True)
    with django_capture_on_commit_callbacks(execute=True):
        RequestOriginMiddleware(view)(request)
    assert f"https://{HOST}/me/" in mail.outbox[-1].body


def test_notification_without_a_request_links_to_the_configured_site_url(
    served_elsewhere, django_capture_on_commit_callbacks
):
    """A notice from a background job (no request) links to the configured SITE_URL."""
    user, _organisation = company_member()
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipients=[user], verb="test", title="期限が近づいています", url="/me/")
    assert "https://configured.example.jp/me/" in mail.outbox[-1].body


def test_digest_links_to_where_its_notices_were_caused(served_elsewhere):
    """The daily digest, sent later by the scheduler, still links to the recorded origin."""
    user, _organisation = company_member()
    Notification.objects.create(
        recipient=user, verb="test", title="提案が届きました", url="/me/", site_url=f"http://{HOST}"
    )
    NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_mode": NotificationPreference.Mode.DAILY}
    )
    notification_digest_deliver()
    assert f"http://{HOST}/me/" in mail.outbox[-1].body
