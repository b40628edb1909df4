"""What every step of a selection shares: the forms' inputs, the lock on the challenge's
Selection row, who may manage it, and who sits on its panel."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from forum.models import Challenge, PanelMember, Selection
from forum.selectors.evaluation import user_can_manage_evaluation
from forum.services.errors import PermissionDenied, ServiceError


@dataclass(frozen=True)
class CriterionInput:
    """One criterion as a form sends it."""

    name: str
    weight: int
    description: str = ""


@dataclass(frozen=True)
class DecisionInput:
    """The decision on one proposal as a form sends it."""

    outcome: str
    reason: str
    feedback_note: str = ""


def locked_selection(challenge: Challenge) -> Selection:
    """The challenge's Selection row, created on first use and locked for this transaction."""
    Selection.objects.get_or_create(challenge=challenge)
    return (
        Selection.objects.select_for_update().select_related("challenge").get(challenge=challenge)
    )


def require_manager(actor, challenge: Challenge) -> None:
    """Refuse an actor who may not manage the challenge's evaluation."""
    if not user_can_manage_evaluation(actor, challenge):
        raise PermissionDenied(_("この課題の審査を管理する権限がありません。"))


def refuse_if_decided(selection: Selection) -> None:
    """Refuse any change once the result is decided."""
    if selection.is_decided:
        raise ServiceError(_("選定結果が決定済みのため、変更できません。"), code="decided")


def seated(challenge_id: int):
    """The challenge's panel as it stands: members and invitations not removed."""
    return PanelMember.objects.filter(challenge_id=challenge_id, removed_at__isnull=True)
