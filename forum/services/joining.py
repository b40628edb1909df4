"""Joining an organisation: join requests that its admins decide, invitations they send."""

import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Invitation, JoinRequest, Membership, Organisation
from forum.request_origin import email_base_url, origin_current
from forum.selectors.roles import user_is_organisation_admin, user_is_secretariat
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.groups import user_groups_sync
from forum.services.notifications import EmailNotSent, email_send, notification_send
from forum.signals import invitation_created

logger = logging.getLogger(__name__)


def _secretariat_only(actor) -> None:
    if not user_is_secretariat(actor):
        raise PermissionDenied(_("この操作は事務局のみが行えます。"))


@transaction.atomic
def join_request_create(*, user, organisation: Organisation, message: str = "") -> JoinRequest:
    """Ask to join an organisation; its admins decide."""
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ServiceError(_("すでにこの団体のメンバーです。"), code="already_member")
    if organisation.status == Organisation.Status.REJECTED:
        raise ServiceError(_("この団体には参加申請できません。"), code="rejected")
    existing = JoinRequest.objects.filter(
        user=user, organisation=organisation, status=JoinRequest.Status.PENDING
    ).first()
    if existing:
        return existing
    join_request = JoinRequest.objects.create(
        user=user, organisation=organisation, message=message[:2000]
    )
    audit_record(actor=user, verb="join_request.created", target=join_request)
    admins = [
        m.user
        for m in organisation.memberships.filter(role=Membership.Role.ADMIN).select_related("user")
    ]
    notification_send(
        recipients=admins,
        verb="join_request.created",
        title=lambda: _("%(user)sさんから参加申請がありました") % {"user": user},
        body=message[:500],
        url=reverse("forum:organisation_detail", args=[organisation.pk]),
    )
    return join_request


@transaction.atomic
def join_request_decide(*, actor, join_request: JoinRequest, accept: bool) -> bool:
    """Accept or decline a pending join request; a decided request is left as it is."""
    join_request = (
        JoinRequest.objects.select_for_update()
        .select_related("organisation", "user")
        .get(pk=join_request.pk)
    )
    if not (
        user_is_organisation_admin(actor, join_request.organisation) or user_is_secretariat(actor)
    ):
        raise PermissionDenied(_("参加申請を処理できるのは団体の管理者のみです。"))
    if join_request.status != JoinRequest.Status.PENDING:
        return False
    join_request.status = JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.DECLINED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:
        Membership.objects.get_or_create(
            user=join_request.user, organisation=join_request.organisation
        )
        user_groups_sync(user_id=join_request.user_id)
    audit_record(actor=actor, verb=f"join_request.{join_request.status}", target=join_request)
    notification_send(
        recipients=[join_request.user],
        verb=f"join_request.{join_request.status}",
        title=lambda: (
            (
                _("「%(name)s」への参加が承認されました")
                if accept
                else _("「%(name)s」への参加申請は見送られました")
            )
            % {"name": join_request.organisation.name}
        ),
        url=reverse("forum:member_home"),
    )
    return True


@transaction.atomic
def invitation_create(
    *, actor, organisation: Organisation, email: str, role: str = Membership.Role.MEMBER
) -> Invitation:
    """Invite an email address to the organisation and mail the link."""
    if not user_is_organisation_admin(actor, organisation):
        raise PermissionDenied(_("招待できるのは団体の管理者のみです。"))
    if not organisation.is_approved:
        raise ServiceError(_("団体が承認されるまでメンバーを招待できません。"), code="not_approved")
    email = email.strip().lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ServiceError(_("このメールアドレスの方はすでにメンバーです。"), code="already_member")
    open_invitation = (
        organisation.invitations.filter(
            email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .filter(expires_at__gt=timezone.now())
        .first()
    )
    if open_invitation:
        raise ServiceError(
            _("このメールアドレスには有効な招待がすでにあります。"), code="duplicate"
        )
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=actor,
        site_url=origin_current(),
    )
    audit_record(actor=actor, verb="invitation.created", target=invitation, email=email)
    invitation_created.send(sender=Invitation, invitation_id=invitation.pk)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> bool:
    """Revoke an open invitation."""
    if not user_is_organisation_admin(actor, invitation.organisation):
        raise PermissionDenied(_("招待を取り消せるのは団体の管理者のみです。"))
    if invitation.accepted_at or invitation.revoked_at:
        return False
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(actor=actor, verb="invitation.revoked", target=invitation)
    return True


@transaction.atomic
def invitation_accept(*, user, token: str) -> Membership:
    """Join the inviting organisation with the invited role."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organisation")
        .filter(token=token)
        .first()
    )
    if invitation is None or invitation.revoked_at is not None:
        raise ServiceError(_("この招待リンクは無効です。"), code="invalid")
    if invitation.accepted_at is not None:
        if invitation.accepted_by_id == user.pk:
            return Membership.objects.get(user=user, organisation=invitation.organisation)
        raise ServiceError(_("この招待はすでに使用されています。"), code="used")
    if invitation.expires_at <= timezone.now():
        raise ServiceError(
            _("この招待リンクの有効期限が切れています。団体の管理者に再送を依頼してください。"),
            code="expired",
        )
    if user.email.lower() != invitation.email.lower():
        raise ServiceError(
            _("この招待は %(email)s 宛てです。招待されたメールアドレスでログインしてください。")
            % {"email": invitation.email},
            code="wrong_user",
        )
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(actor=user, verb="invitation.accepted", target=invitation)
    user_groups_sync(user_id=user.pk)
    return membership


def invitation_email_deliver(*, invitation_id: int) -> bool:
    """Mail an invitation link; False when the invitation is no longer open.

    Raises EmailNotSent when the mail server fails, so the caller may retry.
    """
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return False
    context = {
        "invitation": invitation,
        "accept_url": email_base_url(invitation.site_url)
        + reverse("forum:invitation_accept", args=[invitation.token]),
    }
    try:
        email_send(
            to=invitation.email,
            subject=_("「%(name)s」への招待") % {"name": invitation.organisation.name},
            template="forum/email/invitation.txt",
            context=context,
        )
    except EmailNotSent as exc:
        logger.warning("Invitation email %s failed: %s", invitation_id, exc)
        raise
    return True


@transaction.atomic
def join_request_update(*, actor, join_request: JoinRequest, message: str) -> JoinRequest:
    """Correct the message of a join request (the secretariat, in the admin)."""
    _secretariat_only(actor)
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.message != message:
        join_request.message = message[:2000]
        join_request.save(update_fields=["message"])
        audit_record(actor=actor, verb="join_request.updated", target=join_request)
    return join_request


@transaction.atomic
def join_request_delete(*, actor, join_request: JoinRequest) -> None:
    """Delete a join request (the secretariat); a membership it gave stays."""
    _secretariat_only(actor)
    audit_record(actor=actor, verb="join_request.deleted", target=join_request)
    join_request.delete()


@transaction.atomic
def invitation_update(*, actor, invitation: Invitation, expires_at) -> Invitation:
    """Move an invitation's expiry, to extend or shorten it (the secretariat, in the admin)."""
    _secretariat_only(actor)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.expires_at != expires_at:
        invitation.expires_at = expires_at
        invitation.save(update_fields=["expires_at"])
        audit_record(
            actor=actor,
            verb="invitation.updated",
            target=invitation,
            expires_at=expires_at.isoformat(),
        )
    return invitation


@transaction.atomic
def invitation_delete(*, actor, invitation: Invitation) -> None:
    """Delete an invitation (the secretariat); its link stops working."""
    _secretariat_only(actor)
    audit_record(actor=actor, verb="invitation.deleted", target=invitation, email=invitation.email)
    invitation.delete()
