import re

from django.core import mail
from django.urls import reverse

import pytest

from forum.models import AuditEvent, Membership, Organisation
from forum.selectors.roles import user_can_act_for
from tests.forum.helpers import secretariat_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-for-tests-2026"


def _confirmation_link(message) -> str:
    return re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", message.body).group(0)


def test_signup_verify_apply_approve_lets_member_act(client, django_capture_on_commit_callbacks):
    """The whole path: sign up, verify the email, apply, get approved, then act for the organisation."""
    response = client.post(
        reverse("account_signup"),
        {"email": "tanaka@example.co.jp", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    link = _confirmation_link(mail.outbox[0])

    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 200
    response = client.post("/" + path)
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:onboarding")

    response = client.post(
        reverse("forum:organisation_apply"),
        {
            "name": "株式会社みらいモビリティ",
            "name_kana": "みらいもびりてぃ",
            "kind": "company",
            "website": "example.jp",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="株式会社みらいモビリティ")
    assert organisation.status == Organisation.Status.PENDING
    assert organisation.website == "https://example.jp"
    user = organisation.memberships.get().user
    assert organisation.memberships.get().role == Membership.Role.ADMIN
    assert not user_can_act_for(user, organisation)
    response = client.get(reverse("forum:organisation_detail", args=[organisation.pk]))
    assert "この団体は承認前のため" in response.content.decode()

    staff = secretariat_user()
    client.force_login(staff)
    review_url = reverse("forum_organisation:review", args=[organisation.pk])
    assert client.get(review_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url, {"action": "approve"}, follow=True)
    assert "を承認しました" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.APPROVED
    assert organisation.reviewed_by == staff
    assert user_can_act_for(user, organisation)
    assert any(
        "承認されました" in m.subject and m.to == ["tanaka@example.co.jp"] for m in mail.outbox
    )

    client.force_login(user)
    response = client.post(
        reverse("forum:invitation_create", args=[organisation.pk]),
        {"email": "sato@example.co.jp", "role": "member"},
    )
    assert response.status_code == 302
    assert organisation.invitations.filter(email="sato@example.co.jp").exists()


def test_repeated_approval_click_changes_nothing(client):
    """A second approval says it is already approved and records no second event."""
    staff = secretariat_user()
    organisation = Organisation.objects.create(name="株式会社二度押し", kind="company")
    client.force_login(staff)
    url = reverse("forum_organisation:review", args=[organisation.pk])
    client.post(url, {"action": "approve"})
    response = client.post(url, {"action": "approve"}, follow=True)
    assert "すでに承認されています" in response.content.decode()
    assert (
        AuditEvent.objects.filter(verb="organisation.approved", target_id=organisation.pk).count()
        == 1
    )


def test_rejection_without_reason_is_refused_and_keeps_pending(client):
    """Rejecting needs a reason; without one the application stays pending."""
    staff = secretariat_user()
    organisation = Organisation.objects.create(name="株式会社理由なし", kind="company")
    client.force_login(staff)
    url = reverse("forum_organisation:review", args=[organisation.pk])
    response = client.post(url, {"action": "reject", "reason": "  "})
    assert response.status_code == 200
    assert "この項目は必須です" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PENDING

    response = client.post(
        url, {"action": "reject", "reason": "所在地を確認できませんでした。"}, follow=True
    )
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.REJECTED
    assert organisation.rejection_reason == "所在地を確認できませんでした。"


def test_review_view_refuses_non_secretariat(client):
    """Only the secretariat can open the review screen."""
    from tests.forum.helpers import municipality_staff

    organisation = Organisation.objects.create(name="株式会社審査待ち", kind="company")
    client.force_login(municipality_staff())
    response = client.post(
        reverse("forum_organisation:review", args=[organisation.pk]), {"action": "approve"}
    )
    assert response.status_code in {302, 403}
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PENDING


def test_review_of_unknown_organisation_is_404(client):
    """A tampered id in the review URL is a 404."""
    client.force_login(secretariat_user())
    assert client.get(reverse("forum_organisation:review", args=[999999])).status_code == 404


def test_expired_verification_link_explains_and_offers_resend(client, monkeypatch):
    """An expired link shows a clear Japanese page that leads to a new email."""
    client.post(
        reverse("account_signup"),
        {"email": "late@example.jp", "password1": PASSWORD, "password2": PASSWORD},
    )
    link = _confirmation_link(mail.outbox[0])
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    client.logout()

    import time as real_time

    from django.core import signing

    later = real_time.time() + 4 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.get(path)
    body = response.content.decode()
    assert response.status_code == 200
    assert "有効期限が切れているか" in body
    assert reverse("account_login") in body
    response = client.post(path)
    assert response.status_code in {200, 404}

    from allauth.account.models import EmailAddress

    assert not EmailAddress.objects.get(email="late@example.jp").verified


def test_invalid_email_at_signup_gets_japanese_error(client):
    """A malformed email address is refused with a Japanese message and no account."""
    from django.contrib.auth import get_user_model

    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-email", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "有効なメールアドレスを入力してください" in response.content.decode()
    assert not get_user_model().objects.filter(email="not-an-email").exists()


@pytest.mark.parametrize(
    "variant",
    [
        "株式会社ＡＢＣソリューションズ",
        "株式会社abcソリューションズ",
        "株式会社 ABC ソリューションズ",
    ],
)
def test_duplicate_organisation_name_variants_are_refused(client, variant):
    """Width, case and spacing variants of a registered name are refused; nothing is created."""
    from tests.forum.helpers import company_member

    Organisation.objects.create(name="株式会社ABCソリューションズ", kind="company")
    user, _ = company_member()
    client.force_login(user)
    before = Organisation.objects.count()
    response = client.post(
        reverse("forum:organisation_apply"), {"name": variant, "kind": "company"}
    )
    assert response.status_code == 200
    assert "この団体名はすでに登録されています" in response.content.decode()
    assert Organisation.objects.count() == before


def test_municipality_application_needs_its_municipality(client):
    """Applying as a municipality without choosing which one is refused with a message."""
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.post(
        reverse("forum:organisation_apply"), {"name": "どこかの市", "kind": "municipality"}
    )
    assert response.status_code == 200
    assert "市町村を選択してください" in response.content.decode()
    assert not Organisation.objects.filter(name="どこかの市").exists()
