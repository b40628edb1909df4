"""Criteria and scores: the criteria set before scoring starts, each member's declaration of
conflicts of interest, and their reviews."""

from django.db import transaction
from django.utils.translation import gettext as _

from forum.models import (
    Challenge,
    ConflictDeclaration,
    Criterion,
    PanelMember,
    Proposal,
    Review,
    ReviewScore,
    Selection,
)
from forum.rules.evaluation import MAX_CRITERIA, criteria_are_editable, score_is_on_scale
from forum.selectors.evaluation import proposal_get_for_panel_member
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.evaluation.common import (
    CriterionInput,
    locked_selection,
    refuse_if_decided,
    require_manager,
    seated,
)
from forum.services.text import clean_text


def _clean_criteria(criteria: list[CriterionInput]) -> list[CriterionInput]:
    if not criteria:
        raise ServiceError(_("評価基準を1つ以上入力してください。"))
    if len(criteria) > MAX_CRITERIA:
        raise ServiceError(_("評価基準は%(n)s件までです。") % {"n": MAX_CRITERIA})
    cleaned = []
    for item in criteria:
        name = clean_text(item.name, label=_("評価基準"), limit=100, required=True)
        if not isinstance(item.weight, int) or not 1 <= item.weight <= 100:
            raise ServiceError(
                _("「%(name)s」の配点は1〜100の整数で入力してください。") % {"name": name}
            )
        description = clean_text(item.description, label=_("説明"), limit=1000)
        cleaned.append(CriterionInput(name=name, weight=item.weight, description=description))
    if len({c.name for c in cleaned}) != len(cleaned):
        raise ServiceError(_("同じ名前の評価基準が複数あります。"))
    return cleaned


@transaction.atomic
def criteria_set(
    *,
    actor,
    challenge: Challenge,
    criteria: list[CriterionInput],
    scale_min: int = 1,
    scale_max: int = 5,
) -> list[Criterion]:
    """Replace the challenge's criteria and scale; only before intake closes."""
    require_manager(actor, challenge)
    selection = locked_selection(challenge)
    if not criteria_are_editable(selection.challenge, decided=selection.is_decided):
        raise ServiceError(
            _("募集が終了した課題の評価基準は変更できません。"), code="intake_closed"
        )
    if not (1 <= scale_min < scale_max <= 10):
        raise ServiceError(_("評点の範囲は、最小値＜最大値（1〜10）で指定してください。"))
    cleaned = _clean_criteria(criteria)
    selection.scale_min, selection.scale_max = scale_min, scale_max
    selection.save(update_fields=["scale_min", "scale_max"])
    Criterion.objects.filter(challenge=challenge).delete()
    created = Criterion.objects.bulk_create(
        Criterion(
            challenge=challenge,
            name=c.name,
            weight=c.weight,
            description=c.description,
            position=i,
        )
        for i, c in enumerate(cleaned)
    )
    audit_record(
        actor=actor,
        verb="evaluation.criteria_set",
        target=challenge,
        criteria=[{"name": c.name, "weight": c.weight} for c in cleaned],
        scale=[scale_min, scale_max],
    )
    return created


def _seat_for_scoring(actor, proposal: Proposal) -> tuple[PanelMember, Selection]:
    """The actor's seat and the locked selection, or the reason they may not act on it."""
    selection = locked_selection(proposal.challenge)
    member = seated(proposal.challenge_id).filter(user=actor, accepted_at__isnull=False).first()
    if member is None or proposal_get_for_panel_member(member, proposal.pk) is None:
        raise PermissionDenied(_("この提案を審査する権限がありません。"))
    refuse_if_decided(selection)
    return member, selection


@transaction.atomic
def conflict_declare(
    *, actor, proposal: Proposal, has_conflict: bool, note: str = ""
) -> ConflictDeclaration:
    """Declare once, before scoring, whether the member has a conflict of interest."""
    member, _selection = _seat_for_scoring(actor, proposal)
    if ConflictDeclaration.objects.filter(panel_member=member, proposal=proposal).exists():
        raise ServiceError(_("この提案についてはすでに申告済みです。"), code="duplicate")
    note = clean_text(note, label=_("補足"), limit=2000, required=has_conflict)
    declaration = ConflictDeclaration.objects.create(
        panel_member=member, proposal=proposal, has_conflict=has_conflict, note=note
    )
    audit_record(
        actor=actor,
        verb="evaluation.conflict_declared",
        target=proposal,
        panel_member=member.pk,
        has_conflict=has_conflict,
    )
    return declaration


def _check_values(values: dict[int, int], criteria: list[Criterion], selection: Selection):
    if not criteria:
        raise ServiceError(_("評価基準が設定されていないため、採点できません。"))
    wanted = {c.pk for c in criteria}
    if set(values) != wanted:
        raise ServiceError(_("すべての評価基準に評点を入力してください。"))
    for criterion in criteria:
        if not score_is_on_scale(values[criterion.pk], selection.scale_min, selection.scale_max):
            raise ServiceError(
                _("「%(name)s」の評点は%(low)s〜%(high)sの整数で入力してください。")
                % {"name": criterion.name, "low": selection.scale_min, "high": selection.scale_max}
            )


@transaction.atomic
def review_save(*, actor, proposal: Proposal, values: dict[int, int], note: str = "") -> Review:
    """Score a proposal on every criterion with a private note; after a no-conflict declaration."""
    member, selection = _seat_for_scoring(actor, proposal)
    declaration = ConflictDeclaration.objects.filter(panel_member=member, proposal=proposal).first()
    if declaration is None:
        raise ServiceError(_("採点の前に、利益相反の有無を申告してください。"), code="not_declared")
    if declaration.has_conflict:
        raise PermissionDenied(_("利益相反を申告した提案は採点できません。"))
    criteria = list(Criterion.objects.filter(challenge_id=proposal.challenge_id))
    _check_values(values, criteria, selection)
    note = clean_text(note, label=_("所見"), limit=5000)
    review, _created = Review.objects.update_or_create(
        panel_member=member, proposal=proposal, defaults={"note": note}
    )
    for criterion in criteria:
        ReviewScore.objects.update_or_create(
            review=review, criterion=criterion, defaults={"value": values[criterion.pk]}
        )
    audit_record(
        actor=actor,
        verb="evaluation.review_saved",
        target=proposal,
        panel_member=member.pk,
        values={str(pk): v for pk, v in values.items()},
    )
    return review
