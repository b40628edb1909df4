from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

import pytest

from forum.models import Invitation, JoinRequest, Membership, Organisation
from forum.selectors.roles import user_can_act_for
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.joining import invitation_accept, invitation_create
from forum.services.organisations import organisation_approve
from tests.factories import OrganisationFactory, UserFactory
from tests.forum.helpers import company_member, member_of

pytestmark = pytest.mark.django_db


def test_member_of_unapproved_organisation_cannot_act():
    """Pending or rejected organisations give their members no power to act."""
    for status in (Organisation.Status.PENDING, Organisation.Status.REJECTED):
        user, organisation = company_member(status=status)
        assert not user_can_act_for(user, organisation)
        with pytest.raises(ServiceError):
            invitation_create(actor=user, organisation=organisation, email="x@example.jp")


def test_member_of_other_organisation_cannot_act_for_it(client):
    """Belonging to one organisation gives nothing over another: 404 on its pages and actions."""
    user, _ = company_member()
    other = OrganisationFactory()
    assert not user_can_act_for(user, other)
    client.force_login(user)
    assert client.get(reverse("forum:organisation_detail", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("forum:invitation_create", args=[other.pk]),
        {"email": "a@example.jp", "role": "admin"},
    )
    assert response.status_code == 404
    assert not Invitation.objects.filter(organisation=other).exists()


def test_plain_member_cannot_invite(client):
    """Only an organisation's admins invite; a plain member's attempt is refused."""
    _, organisation = company_member()
    member = member_of(organisation, role=Membership.Role.MEMBER)
    with pytest.raises(PermissionDenied):
        invitation_create(actor=member, organisation=organisation, email="new@example.jp")


def test_invitation_accepted_by_invited_address_joins(client, django_capture_on_commit_callbacks):
    """The invited person follows the emailed link, signs in and joins with the invited role."""
    admin, organisation = company_member()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            actor=admin, organisation=organisation, email="New.Person@Example.jp", role="admin"
        )
    assert invitation.email == "new.person@example.jp"
    assert invitation.token in mail.outbox[-1].body
    invitee = UserFactory(email="new.person@example.jp")
    client.force_login(invitee)
    url = reverse("forum:invitation_accept", args=[invitation.token])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    membership = Membership.objects.get(user=invitee, organisation=organisation)
    assert membership.role == Membership.Role.ADMIN
    assert user_can_act_for(invitee, organisation)


def test_invitation_for_someone_else_is_refused(client):
    """Another signed-in person cannot use the link; the message names the invited address."""
    admin, organisation = company_member()
    invitation = invitation_create(
        actor=admin, organisation=organisation, email="invited@example.jp"
    )
    client.force_login(UserFactory(email="intruder@example.jp"))
    response = client.post(reverse("forum:invitation_accept", args=[invitation.token]))
    assert response.status_code == 200
    assert "invited@example.jp" in response.content.decode()
    assert not organisation.memberships.filter(user__email="intruder@example.jp").exists()


def test_expired_and_revoked_invitations_are_refused():
    """Expired or revoked links say so and add nobody."""
    admin, organisation = company_member()
    invitee = UserFactory(email="late@example.jp")
    invitation = invitation_create(actor=admin, organisation=organisation, email="late@example.jp")
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ServiceError, match="有効期限が切れています"):
        invitation_accept(user=invitee, token=invitation.token)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + timedelta(days=1), revoked_at=timezone.now()
    )
    with pytest.raises(ServiceError, match="無効です"):
        invitation_accept(user=invitee, token=invitation.token)
    assert not organisation.memberships.filter(user=invitee).exists()


def test_unknown_invitation_token_is_404(client):
    """A tampered token shows a 404, not an error page."""
    assert client.get(reverse("forum:invitation_accept", args=["no-such-token"])).status_code == 404


def test_second_open_invitation_to_same_address_is_refused():
    """Inviting the same address twice while the first is open explains the duplicate."""
    admin, organisation = company_member()
    invitation_create(actor=admin, organisation=organisation, email="twice@example.jp")
    with pytest.raises(ServiceError, match="有効な招待がすでにあります"):
        invitation_create(actor=admin, organisation=organisation, email="TWICE@example.jp")


def test_join_request_accepted_by_admin_makes_member(client):
    """A person asks to join; the organisation's admin accepts; the person can then act."""
    admin, organisation = company_member()
    applicant = UserFactory()
    client.force_login(applicant)
    response = client.post(
        reverse("forum:organisation_join"),
        {"organisation": organisation.pk, "message": "営業部です"},
    )
    assert response.status_code == 302
    join_request = JoinRequest.objects.get(user=applicant)
    again = client.post(reverse("forum:organisation_join"), {"organisation": organisation.pk})
    assert again.status_code == 302
    assert JoinRequest.objects.filter(user=applicant).count() == 1

    client.force_login(admin)
    url = reverse("forum:join_request_decide", args=[organisation.pk, join_request.pk, "accept"])
    assert client.post(url).status_code == 302
    assert user_can_act_for(applicant, organisation)
    response = client.post(url, follow=True)
    assert "すでに処理されています" in response.content.decode()


def test_join_request_cannot_be_decided_by_applicant(client):
    """The applicant cannot accept their own request (404) and stays outside."""
    _, organisation = company_member()
    applicant = UserFactory()
    join_request = JoinRequest.objects.create(user=applicant, organisation=organisation)
    client.force_login(applicant)
    url = reverse("forum:join_request_decide", args=[organisation.pk, join_request.pk, "accept"])
    assert client.post(url).status_code == 404
    assert not organisation.memberships.filter(user=applicant).exists()


def test_join_request_to_unknown_organisation_gets_message(client):
    """A tampered organisation id in the join form is a form error, not a crash."""
    client.force_login(UserFactory())
    response = client.post(reverse("forum:organisation_join"), {"organisation": 999999})
    assert response.status_code == 200
    assert "選択した団体が見つかりません" in response.content.decode()


def test_approval_by_non_secretariat_is_refused():
    """The service itself refuses approval by anyone but the secretariat."""
    user, organisation = company_member(status=Organisation.Status.PENDING)
    with pytest.raises(PermissionDenied):
        organisation_approve(actor=user, organisation=organisation)
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PENDING


def test_municipality_cannot_be_registered_twice(client):
    """A second organisation for the same municipality is refused with a pointer to joining."""
    from forum.models import Municipality

    sakai = Municipality.objects.get(code="271403")
    Organisation.objects.create(name="堺市", kind="municipality", municipality=sakai)
    client.force_login(UserFactory())
    response = client.post(
        reverse("forum:organisation_apply"),
        {"name": "堺市役所", "kind": "municipality", "municipality": sakai.pk},
    )
    assert response.status_code == 200
    assert "すでに登録されています" in response.content.decode()
    assert Organisation.objects.filter(municipality=sakai).count() == 1
