"""Organisations: applying, approval by the secretariat, joining and invitations."""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import (
    Invitation,
    JoinRequest,
    Membership,
    Municipality,
    Organisation,
    SolutionProfile,
)
from forum.models.organisations import normalise_name
from forum.selectors.notifications import user_list_secretariat
from forum.selectors.roles import user_is_organisation_admin, user_is_secretariat
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.groups import user_groups_sync
from forum.services.notifications import EmailNotSent, email_send, notification_send
from forum.signals import invitation_created, organisation_changed, solution_changed

logger = logging.getLogger(__name__)

APPLICANT_KINDS = {
    Organisation.Kind.COMPANY,
    Organisation.Kind.STARTUP,
    Organisation.Kind.UNIVERSITY,
    Organisation.Kind.CIVIC_TECH,
    Organisation.Kind.ASSOCIATION,
    Organisation.Kind.MUNICIPALITY,
}


def organisation_name_taken(name: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another organisation already has this name (ignoring width, case and spaces)."""
    qs = Organisation.objects.filter(name_normalised=normalise_name(name))
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


@transaction.atomic
def organisation_apply(
    *,
    user,
    name: str,
    kind: str,
    name_kana: str = "",
    website: str = "",
    description: str = "",
    address: str = "",
    size: str = "",
    municipality: Municipality | None = None,
) -> Organisation:
    """Apply for a new organisation; the applicant becomes its first admin, pending approval."""
    name = name.strip()
    if not name:
        raise ServiceError(_("団体名を入力してください。"), code="required")
    if kind not in APPLICANT_KINDS:
        raise ServiceError(_("この種別の団体は申請できません。"), code="kind")
    if kind == Organisation.Kind.MUNICIPALITY:
        if municipality is None:
            raise ServiceError(_("市町村を選択してください。"), code="municipality")
        if Organisation.objects.filter(municipality=municipality).exists():
            raise ServiceError(
                _("%(name)sの団体はすでに登録されています。参加申請をしてください。")
                % {"name": municipality.name},
                code="municipality_taken",
            )
    else:
        municipality = None
    if organisation_name_taken(name):
        raise ServiceError(
            _(
                "「%(name)s」という団体はすでに登録されています。同じ団体であれば参加申請をしてください。"
            )
            % {"name": name},
            code="duplicate",
        )
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                name=name,
                kind=kind,
                name_kana=name_kana.strip(),
                website=website,
                description=description,
                address=address,
                size=size,
                municipality=municipality,
                created_by=user,
            )
    except IntegrityError as exc:
        # Two simultaneous applications with the same name: the second loses cleanly.
        raise ServiceError(
            _("「%(name)s」という団体はすでに登録されています。") % {"name": name}, code="duplicate"
        ) from exc
    Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.ADMIN)
    audit_record(actor=user, verb="organisation.applied", target=organisation)
    notification_send(
        recipients=user_list_secretariat(),
        verb="organisation.applied",
        title=lambda: _("新しい団体の申請: %(name)s") % {"name": organisation.name},
        body=lambda: (
            _("%(name)s（%(kind)s）から会員登録の申請がありました。管理画面で審査してください。")
            % {"name": organisation.name, "kind": organisation.get_kind_display()}
        ),
        url="/admin/",
    )
    return organisation


def _check_details(
    *, name: str, kind: str, municipality: Municipality | None, exclude_pk: int | None = None
) -> None:
    if not name:
        raise ServiceError(_("団体名を入力してください。"), code="required")
    if organisation_name_taken(name, exclude_pk=exclude_pk):
        raise ServiceError(
            _("「%(name)s」という団体はすでに登録されています。") % {"name": name}, code="duplicate"
        )
    if (kind == Organisation.Kind.MUNICIPALITY) != (municipality is not None):
        raise ServiceError(
            _("市町村は種別が「市町村」の団体にだけ、必ず設定してください。"), code="municipality"
        )
    taken = Organisation.objects.filter(municipality=municipality).exclude(pk=exclude_pk)
    if municipality is not None and taken.exists():
        raise ServiceError(
            _("%(name)sの団体はすでに登録されています。") % {"name": municipality.name},
            code="municipality_taken",
        )


def _secretariat_only(actor) -> None:
    if not user_is_secretariat(actor):
        raise PermissionDenied(_("この操作は事務局のみが行えます。"))


@transaction.atomic
def organisation_register(
    *,
    actor,
    name: str,
    kind: str,
    name_kana: str = "",
    website: str = "",
    description: str = "",
    address: str = "",
    size: str = "",
    municipality: Municipality | None = None,
    approved: bool = False,
) -> Organisation:
    """Register an organisation on the secretariat's side (the admin, setup commands).

    It awaits review like an application unless ``approved``; an approved one may act at once.
    ``actor`` is a secretariat user, or ``None`` for the platform itself.
    """
    if actor is not None:
        _secretariat_only(actor)
    name = name.strip()
    _check_details(name=name, kind=kind, municipality=municipality)
    approval = (
        {
            "status": Organisation.Status.APPROVED,
            "reviewed_by": actor,
            "reviewed_at": timezone.now(),
        }
        if approved
        else {}
    )
    organisation = Organisation.objects.create(
        name=name,
        kind=kind,
        name_kana=name_kana.strip(),
        website=website,
        description=description,
        address=address,
        size=size,
        municipality=municipality,
        **approval,
    )
    audit_record(
        actor=actor, verb="organisation.registered", target=organisation, approved=approved
    )
    organisation_changed.send(sender=Organisation, instance_id=organisation.pk)
    return organisation


ORGANISATION_DETAILS = (
    "name",
    "name_kana",
    "kind",
    "municipality",
    "website",
    "address",
    "size",
    "description",
)


@transaction.atomic
def organisation_update(
    *,
    actor,
    organisation: Organisation,
    name: str,
    kind: str,
    name_kana: str = "",
    website: str = "",
    description: str = "",
    address: str = "",
    size: str = "",
    municipality: Municipality | None = None,
) -> Organisation:
    """Change an organisation's details (its review state only changes through review).

    Its own admins may change them; only the secretariat changes its kind and municipality.
    The search index and the municipality's place follow; when the kind or the municipality
    changes, its members' admin groups follow too.
    """
    secretariat = user_is_secretariat(actor)
    if not (secretariat or user_is_organisation_admin(actor, organisation)):
        raise PermissionDenied(_("団体の情報を変更できるのは団体の管理者と事務局のみです。"))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if not secretariat and (kind, municipality) != (organisation.kind, organisation.municipality):
        raise PermissionDenied(_("団体の種別と市町村を変更できるのは事務局のみです。"))
    values = {
        "name": name.strip(),
        "name_kana": name_kana.strip(),
        "kind": kind,
        "municipality": municipality,
        "website": website,
        "address": address,
        "size": size,
        "description": description,
    }
    _check_details(
        name=values["name"], kind=kind, municipality=municipality, exclude_pk=organisation.pk
    )
    changed = [key for key in ORGANISATION_DETAILS if getattr(organisation, key) != values[key]]
    if not changed:
        return organisation
    for key in changed:
        setattr(organisation, key, values[key])
    organisation.save()
    audit_record(actor=actor, verb="organisation.updated", target=organisation, fields=changed)
    if {"kind", "municipality"} & set(changed):
        for user_id in organisation.memberships.values_list("user_id", flat=True):
            user_groups_sync(user_id=user_id)
    organisation_changed.send(sender=Organisation, instance_id=organisation.pk)
    return organisation


@transaction.atomic
def organisation_delete(*, actor, organisation: Organisation) -> None:
    """Delete an organisation with its memberships and solutions (the secretariat only).

    Its solutions leave the search index and its former members lose the groups it gave them.
    An organisation that proposed or took part in a project is kept by the database.
    """
    if not user_is_secretariat(actor):
        raise PermissionDenied(_("団体を削除できるのは事務局のみです。"))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    user_ids = list(organisation.memberships.values_list("user_id", flat=True))
    solution_ids = list(organisation.solutions.values_list("pk", flat=True))
    audit_record(
        actor=actor, verb="organisation.deleted", target=organisation, name=organisation.name
    )
    try:
        organisation.delete()
    except ProtectedError as exc:
        raise ServiceError(
            _("提案やプロジェクトに関わった団体は削除できません。"), code="protected"
        ) from exc
    for user_id in user_ids:
        user_groups_sync(user_id=user_id)
    for solution_id in solution_ids:
        solution_changed.send(sender=SolutionProfile, instance_id=solution_id)


def _lock_for_review(actor, organisation_id: int) -> Organisation:
    if not user_is_secretariat(actor):
        raise PermissionDenied(_("団体の審査は事務局のみが行えます。"))
    return Organisation.objects.select_for_update().get(pk=organisation_id)


@transaction.atomic
def organisation_approve(*, actor, organisation: Organisation) -> bool:
    """Approve a pending organisation; repeating the click changes nothing and returns False."""
    organisation = _lock_for_review(actor, organisation.pk)
    if organisation.status == Organisation.Status.APPROVED:
        return False
    organisation.status = Organisation.Status.APPROVED
    organisation.reviewed_by = actor
    organisation.reviewed_at = timezone.now()
    organisation.rejection_reason = ""
    organisation.save(
        update_fields=["status", "reviewed_by", "reviewed_at", "rejection_reason", "updated_at"]
    )
    audit_record(actor=actor, verb="organisation.approved", target=organisation)
    for membership in organisation.memberships.select_related("user"):
        user_groups_sync(user_id=membership.user_id)
    notification_send(
        recipients=[m.user for m in organisation.memberships.select_related("user")],
        verb="organisation.approved",
        title=lambda: _("団体「%(name)s」が承認されました") % {"name": organisation.name},
        body=lambda: _("フォーラムの会員として活動を始められます。"),
        url=reverse("forum:member_home"),
    )
    organisation_changed.send(sender=Organisation, instance_id=organisation.pk)
    return True


@transaction.atomic
def organisation_reject(*, actor, organisation: Organisation, reason: str) -> bool:
    """Reject a pending organisation with a reason; rejecting twice changes nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("却下の理由を入力してください。"), code="reason_required")
    organisation = _lock_for_review(actor, organisation.pk)
    if organisation.status == Organisation.Status.REJECTED:
        return False
    if organisation.status == Organisation.Status.APPROVED:
        raise ServiceError(_("承認済みの団体は却下できません。"), code="already_approved")
    organisation.status = Organisation.Status.REJECTED
    organisation.reviewed_by = actor
    organisation.reviewed_at = timezone.now()
    organisation.rejection_reason = reason
    organisation.save(
        update_fields=["status", "reviewed_by", "reviewed_at", "rejection_reason", "updated_at"]
    )
    audit_record(actor=actor, verb="organisation.rejected", target=organisation, reason=reason)
    notification_send(
        recipients=[m.user for m in organisation.memberships.select_related("user")],
        verb="organisation.rejected",
        title=lambda: (
            _("団体「%(name)s」の申請は承認されませんでした") % {"name": organisation.name}
        ),
        body=lambda: _("理由: %(reason)s") % {"reason": reason},
        url=reverse("forum:member_home"),
    )
    return True


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
        organisation=organisation, email=email, role=role, invited_by=actor
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
        "accept_url": settings.SITE_URL
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
