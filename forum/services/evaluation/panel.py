"""The panel: the municipality's staff and the secretariat seated, outside evaluators invited
by email, their assignments, and seats given up with a reason."""

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Challenge, PanelMember, Proposal
from forum.selectors.proposals import municipality_ids_reviewed_by
from forum.selectors.roles import user_is_secretariat
from forum.services.audit import audit_record
from forum.services.errors import ServiceError
from forum.services.evaluation.common import (
    locked_selection,
    refuse_if_decided,
    require_manager,
    seated,
)
from forum.services.notifications import EmailNotSent, email_send
from forum.services.text import clean_text
from forum.signals import panel_invitation_created

logger = logging.getLogger(__name__)


def _internal_kind(user, challenge: Challenge) -> str:
    if challenge.municipality_id in municipality_ids_reviewed_by(user):
        return PanelMember.Kind.MUNICIPALITY
    if user_is_secretariat(user):
        return PanelMember.Kind.SECRETARIAT
    raise ServiceError(
        _(
            "審査員に加えられるのは、この市町村の職員か事務局です。"
            "それ以外の方は外部評価者として招待してください。"
        )
    )


@transaction.atomic
def panel_member_add(*, actor, challenge: Challenge, user) -> PanelMember:
    """Seat the municipality's staff member or a secretariat member on the panel."""
    require_manager(actor, challenge)
    selection = locked_selection(challenge)
    refuse_if_decided(selection)
    kind = _internal_kind(user, challenge)
    if seated(challenge.pk).filter(user=user).exists():
        raise ServiceError(_("この方はすでに審査員です。"), code="duplicate")
    member = PanelMember.objects.create(
        challenge=challenge,
        user=user,
        kind=kind,
        email=user.email,
        invited_by=actor,
        accepted_at=timezone.now(),
    )
    audit_record(actor=actor, verb="evaluation.panel_member_added", target=member, kind=kind)
    return member


@transaction.atomic
def panel_member_remove(*, actor, member: PanelMember, reason: str) -> PanelMember:
    """Take a member off the panel, or withdraw an invitation, before the decision.

    The seat stays on record with the reason; the member's scores and declarations no longer
    count in the comparison, and an invitation link stops working.
    """
    require_manager(actor, member.challenge)
    selection = locked_selection(member.challenge)
    refuse_if_decided(selection)
    member = PanelMember.objects.select_for_update().get(pk=member.pk)
    if member.is_removed:
        raise ServiceError(_("この審査員はすでに外されています。"), code="removed")
    member.removal_reason = clean_text(reason, label=_("理由"), limit=2000, required=True)
    member.removed_at = timezone.now()
    member.removed_by = actor
    member.save(update_fields=["removal_reason", "removed_at", "removed_by"])
    audit_record(
        actor=actor,
        verb="evaluation.panel_member_removed",
        target=member,
        reason=member.removal_reason,
        accepted=member.accepted_at is not None,
    )
    return member


def _proposals_of(challenge: Challenge, proposals) -> list[Proposal]:
    proposals = list(proposals)
    if any(p.challenge_id != challenge.pk for p in proposals):
        raise ServiceError(_("この課題の提案だけを担当にできます。"))
    return proposals


@transaction.atomic
def panel_member_invite(*, actor, challenge: Challenge, email: str, proposals=()) -> PanelMember:
    """Invite an external evaluator by email; they see only the proposals assigned to them."""
    require_manager(actor, challenge)
    selection = locked_selection(challenge)
    refuse_if_decided(selection)
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254:
        raise ServiceError(_("メールアドレスを正しく入力してください。"))
    if seated(challenge.pk).filter(email__iexact=email).exists():
        raise ServiceError(_("このメールアドレスはすでに審査員として登録されています。"))
    member = PanelMember.objects.create(
        challenge=challenge, kind=PanelMember.Kind.EXTERNAL, email=email, invited_by=actor
    )
    member.assigned_proposals.set(_proposals_of(challenge, proposals))
    audit_record(actor=actor, verb="evaluation.panel_member_invited", target=member, email=email)
    panel_invitation_created.send(sender=PanelMember, panel_member_id=member.pk)
    return member


@transaction.atomic
def panel_assignment_set(*, actor, member: PanelMember, proposals) -> PanelMember:
    """Choose which proposals an external evaluator sees and scores."""
    require_manager(actor, member.challenge)
    selection = locked_selection(member.challenge)
    refuse_if_decided(selection)
    if member.kind != PanelMember.Kind.EXTERNAL:
        raise ServiceError(_("担当の指定は外部評価者のみです。"))
    proposals = _proposals_of(member.challenge, proposals)
    member.assigned_proposals.set(proposals)
    audit_record(
        actor=actor,
        verb="evaluation.panel_assignment_set",
        target=member,
        proposals=[p.pk for p in proposals],
    )
    return member


@transaction.atomic
def panel_invitation_accept(*, user, token: str) -> PanelMember:
    """Take the seat an invitation offers, signed in with the invited address."""
    member = PanelMember.objects.select_for_update().filter(token=token).first()
    if member is None or member.kind != PanelMember.Kind.EXTERNAL:
        raise ServiceError(_("この招待リンクは無効です。"), code="invalid")
    if member.is_removed:
        raise ServiceError(_("この招待は取り消されました。"), code="revoked")
    if member.accepted_at is not None:
        if member.user_id == user.pk:
            return member
        raise ServiceError(_("この招待はすでに使用されています。"), code="used")
    if member.expires_at <= timezone.now():
        raise ServiceError(_("この招待リンクの有効期限が切れています。"), code="expired")
    if user.email.lower() != member.email.lower():
        raise ServiceError(
            _("この招待は %(email)s 宛てです。招待されたメールアドレスでログインしてください。")
            % {"email": member.email},
            code="wrong_user",
        )
    if seated(member.challenge_id).filter(user=user).exists():
        raise ServiceError(_("この方はすでに審査員です。"), code="duplicate")
    member.user = user
    member.accepted_at = timezone.now()
    member.save(update_fields=["user", "accepted_at"])
    audit_record(actor=user, verb="evaluation.panel_invitation_accepted", target=member)
    return member


def panel_invitation_email_deliver(*, panel_member_id: int) -> bool:
    """Mail an evaluator's invitation link; False once accepted. Raises EmailNotSent."""
    member = (
        PanelMember.objects.select_related("challenge", "invited_by")
        .filter(pk=panel_member_id, accepted_at__isnull=True, removed_at__isnull=True)
        .first()
    )
    if member is None:
        return False
    context = {
        "member": member,
        "accept_url": settings.SITE_URL
        + reverse("forum:panel_invitation_accept", args=[member.token]),
    }
    try:
        email_send(
            to=member.email,
            subject=_("課題「%(title)s」の審査への依頼") % {"title": member.challenge.title},
            template="forum/email/panel_invitation.txt",
            context=context,
        )
    except EmailNotSent as exc:
        logger.warning("Panel invitation email %s failed: %s", panel_member_id, exc)
        raise
    return True
