"""Memberships set by the secretariat: each change brings the person's admin groups in line."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from forum.models import Membership, Organisation
from forum.selectors.roles import user_is_secretariat
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.groups import user_groups_sync


def _secretariat_only(actor) -> None:
    if not user_is_secretariat(actor):
        raise PermissionDenied(_("所属を変更できるのは事務局のみです。"))


def _taken(user, organisation: Organisation, *, exclude_pk: int | None = None) -> bool:
    return (
        Membership.objects.filter(user=user, organisation=organisation)
        .exclude(pk=exclude_pk)
        .exists()
    )


def _already_member() -> ServiceError:
    return ServiceError(_("この方はすでにこの団体のメンバーです。"), code="already_member")


@transaction.atomic
def membership_create(
    *, actor, user, organisation: Organisation, role: str = Membership.Role.MEMBER
) -> Membership:
    """Make a person a member of an organisation; their admin groups follow at once."""
    _secretariat_only(actor)
    if _taken(user, organisation):
        raise _already_member()
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    except IntegrityError as exc:
        raise _already_member() from exc
    audit_record(actor=actor, verb="membership.created", target=membership, role=role)
    user_groups_sync(user_id=user.pk)
    return membership


@transaction.atomic
def membership_update(
    *, actor, membership: Membership, user, organisation: Organisation, role: str
) -> Membership:
    """Change who a membership belongs to, where, or its role; both people's groups follow."""
    _secretariat_only(actor)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if _taken(user, organisation, exclude_pk=membership.pk):
        raise _already_member()
    previous_user_id = membership.user_id
    membership.user = user
    membership.organisation = organisation
    membership.role = role
    membership.save()
    audit_record(actor=actor, verb="membership.updated", target=membership, role=role)
    for user_id in {previous_user_id, user.pk}:
        user_groups_sync(user_id=user_id)
    return membership


@transaction.atomic
def membership_delete(*, actor, membership: Membership) -> None:
    """Remove a person from an organisation; the groups it gave them go with it."""
    _secretariat_only(actor)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    user_id = membership.user_id
    audit_record(actor=actor, verb="membership.deleted", target=membership)
    membership.delete()
    user_groups_sync(user_id=user_id)
