from django.core import mail

import pytest

from forum.models import Challenge, Field, Notification, NotificationPreference, Organisation
from forum.services.errors import PermissionDenied, ServiceError
from matching.models import AlertDelivery, ChallengeAlert, Interest
from matching.services import (
    challenge_alerts_send,
    interest_delete,
    interest_set_active,
    interest_update,
)
from tests.factories import UserFactory
from tests.forum.helpers import company_member
from tests.matching.helpers import publish_challenge, save_interest

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    user, _ = company_member()
    return user


def _alert(challenge) -> int:
    return challenge_alerts_send(challenge_id=challenge.pk)


def test_interest_without_any_criterion_is_refused(member):
    """An interest must name at least one field, technology, municipality or keyword."""
    with pytest.raises(ServiceError, match="少なくとも1つの条件"):
        save_interest(member, name="なんでも")
    assert not Interest.objects.exists()


@pytest.mark.parametrize("keyword", ["!!!", "ー", "a", "橋"])
def test_symbol_only_or_single_character_keyword_is_refused(member, keyword):
    """Keywords that analyse to nothing or to one character cannot be saved."""
    with pytest.raises(ServiceError, match="キーワードとして使えません"):
        save_interest(member, keywords=[keyword])


def test_keywords_are_trimmed_and_deduplicated_by_folded_form(member):
    """ＡＩ and AI are one keyword; blanks collapse."""
    interest = save_interest(member, keywords=["  ＡＩ  ", "AI", "ドローン   点検"])
    assert interest.keywords == ["ＡＩ", "ドローン 点検"]


def test_only_members_of_approved_organisations_save_interests():
    """A signed-in person without an approved organisation cannot save an interest."""
    user, _ = company_member(status=Organisation.Status.PENDING)
    with pytest.raises(PermissionDenied):
        save_interest(user, keywords=["ドローン"])


def test_interest_count_is_limited(member):
    """The twenty-first interest is refused with a clear message."""
    for number in range(20):
        save_interest(member, name=f"関心{number}", keywords=["ドローン"])
    with pytest.raises(ServiceError, match="20件まで"):
        save_interest(member, keywords=["ドローン"])


def test_others_cannot_change_or_delete_an_interest(member):
    """Only the owner edits, switches or deletes an interest."""
    interest = save_interest(member, keywords=["ドローン"])
    other, _ = company_member()
    with pytest.raises(PermissionDenied):
        interest_update(actor=other, interest=interest, name="x", keywords=["AI"])
    with pytest.raises(PermissionDenied):
        interest_set_active(actor=other, interest=interest, active=False)
    with pytest.raises(PermissionDenied):
        interest_delete(actor=other, interest=interest)
    interest.refresh_from_db()
    assert interest.keywords == ["ドローン"] and interest.is_active


def test_first_publication_notifies_matching_owner_in_app_and_by_email(
    member, django_capture_on_commit_callbacks
):
    """A published challenge that fits an interest reaches its owner as a notification and a mail."""
    save_interest(member, name="ドローン点検", fields=["infrastructure"], keywords=["drone"])
    challenge = publish_challenge()
    with django_capture_on_commit_callbacks(execute=True):
        assert _alert(challenge) == 1
    note = Notification.objects.get(recipient=member, verb="interest.matched")
    assert "ドローン点検" in note.title and challenge.title in note.title
    assert note.url == challenge.url
    assert note.emailed_at is not None
    assert any(member.email in m.to and challenge.title in m.subject for m in mail.outbox)
    assert AlertDelivery.objects.get(challenge=challenge).recipient == member


def test_rerunning_or_republishing_never_alerts_twice(member):
    """The task is idempotent and later edits of the same challenge alert nobody."""
    save_interest(member, keywords=["ドローン"])
    challenge = publish_challenge()
    assert _alert(challenge) == 1
    assert _alert(challenge) == 0
    edited = publish_challenge(
        page_id=challenge.page_id, title="ドローンで橋梁を点検したい（更新）"
    )
    assert edited.pk == challenge.pk
    assert _alert(edited) == 0
    assert Notification.objects.filter(recipient=member, verb="interest.matched").count() == 1


def test_digest_readers_get_the_alert_in_the_daily_mail(member, django_capture_on_commit_callbacks):
    """A daily-digest member gets the in-app notice now and the email with the digest."""
    from forum.tasks import notification_digest_send

    NotificationPreference.objects.create(user=member, email_mode="daily")
    save_interest(member, keywords=["ドローン"])
    challenge = publish_challenge()
    with django_capture_on_commit_callbacks(execute=True):
        _alert(challenge)
    note = Notification.objects.get(recipient=member, verb="interest.matched")
    assert note.emailed_at is None and not mail.outbox
    assert notification_digest_send.apply().get() == 1
    assert challenge.title in mail.outbox[0].body


def test_two_matching_interests_make_one_notice_naming_both(member):
    """One person hears once per challenge, with every interest that fitted."""
    save_interest(member, name="ドローン", keywords=["ドローン"])
    save_interest(member, name="堺市", municipalities=["271403"])
    challenge = publish_challenge()
    assert _alert(challenge) == 1
    note = Notification.objects.get(recipient=member, verb="interest.matched")
    assert "ドローン" in note.body and "堺市" in note.body


def test_unfitting_switched_off_and_former_members_are_not_notified(member):
    """Only active interests whose rule holds, of people still in an approved organisation."""
    save_interest(member, name="福祉", fields=["health"])
    off = save_interest(member, name="オフ", keywords=["ドローン"])
    interest_set_active(actor=member, interest=off, active=False)
    leaver, organisation = company_member()
    save_interest(leaver, keywords=["ドローン"])
    organisation.status = Organisation.Status.REJECTED
    organisation.save()
    inactive_user, _ = company_member()
    save_interest(inactive_user, keywords=["ドローン"])
    inactive_user.is_active = False
    inactive_user.save()
    challenge = publish_challenge()
    assert _alert(challenge) == 0
    assert not Notification.objects.filter(verb="interest.matched").exists()
    assert ChallengeAlert.objects.get(challenge=challenge).matched == 0


def test_closed_or_withdrawn_challenges_alert_nobody(member):
    """A challenge that is not open and published is never announced."""
    from forum.services.challenges import challenge_withdraw

    save_interest(member, keywords=["ドローン"])
    closed = publish_challenge(is_closed=True)
    assert closed.status == Challenge.Status.CLOSED
    assert _alert(closed) == 0
    withdrawn = publish_challenge()
    challenge_withdraw(page_id=withdrawn.page_id)
    assert _alert(withdrawn) == 0
    assert not Notification.objects.filter(verb="interest.matched").exists()
    assert not ChallengeAlert.objects.exists()


def test_a_person_outside_the_forum_never_receives_alerts():
    """Interests of someone with no organisation cannot exist, so nobody outside is told."""
    outsider = UserFactory()
    with pytest.raises(PermissionDenied):
        save_interest(outsider, fields=[Field.objects.first().slug])
