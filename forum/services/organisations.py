"""Organisations: applying, registering, editing and approval by the secretariat.

Joining an organisation (join requests, invitations) is forum.services.joining."""

import logging

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import (
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
from forum.services.notifications import notification_send
from forum.signals import organisation_changed, solution_changed

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
        # Straight to the admin's review screen of this application (approve or reject there).
        url=reverse("forum_organisation:review", args=[organisation.pk]),
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
