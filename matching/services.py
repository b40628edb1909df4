"""Writes of the matching layer: saved interests, alerts for new challenges, suggestion feedback."""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from forum.language import localized_text
from forum.models import Challenge, Field, Municipality, Organisation, SolutionProfile, Technology
from forum.selectors.roles import organisation_list_for_user
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.notifications import notification_send
from matching.alerts import MAX_KEYWORD_LENGTH, MAX_KEYWORDS, keyword_tokens
from matching.backends import get_alert_matcher
from matching.models import (
    AlertDelivery,
    ChallengeAlert,
    EvaluationRun,
    Interest,
    SuggestionFeedback,
)
from matching.pairings import may_rate
from matching.query import CLAUSE_LABELS
from matching.signals import interest_changed
from search.analysis import normalise
from search.documents import challenge_document

logger = logging.getLogger(__name__)

MAX_INTERESTS = 20


def _require_member(actor) -> None:
    if not organisation_list_for_user(actor).exists():
        raise PermissionDenied(
            _("関心を登録するには、承認済みの団体に所属している必要があります。")
        )


def _lock_own(actor, interest: Interest) -> Interest:
    """The interest's row, locked, when the actor owns it."""
    interest = Interest.objects.select_for_update().get(pk=interest.pk)
    if interest.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("ご自身が登録した関心のみ変更できます。"))
    return interest


def _clean_keywords(keywords: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    seen = set()
    for raw in keywords:
        keyword = " ".join((raw or "").split())
        if not keyword:
            continue
        if len(keyword) > MAX_KEYWORD_LENGTH:
            raise ServiceError(
                _("キーワードは1つ%(n)s文字以内で入力してください: %(keyword)s")
                % {"n": MAX_KEYWORD_LENGTH, "keyword": keyword[:20] + "…"}
            )
        if len(normalise(keyword).replace(" ", "")) < 2 or not keyword_tokens(keyword):
            raise ServiceError(
                _(
                    "「%(keyword)s」はキーワードとして使えません。2文字以上の言葉で入力してください（記号だけの語は使えません）。"
                )
                % {"keyword": keyword}
            )
        key = normalise(keyword)
        if key not in seen:
            seen.add(key)
            cleaned.append(keyword)
    if len(cleaned) > MAX_KEYWORDS:
        raise ServiceError(_("キーワードは%(n)s個までです。") % {"n": MAX_KEYWORDS})
    return cleaned


def _apply(
    interest: Interest,
    *,
    name: str,
    fields: Iterable[Field],
    technologies: Iterable[Technology],
    municipalities: Iterable[Municipality],
    keywords: Iterable[str],
    is_active: bool,
) -> None:
    interest.name = (name or "").strip()[:100]
    if not interest.name:
        raise ServiceError(_("名前を入力してください。"))
    interest.keywords = _clean_keywords(keywords)
    interest.is_active = is_active
    fields, technologies, municipalities = list(fields), list(technologies), list(municipalities)
    if not (fields or technologies or municipalities or interest.keywords):
        raise ServiceError(
            _("分野・技術・市町村・キーワードのうち、少なくとも1つの条件を指定してください。")
        )
    interest.save()
    interest.fields.set(fields)
    interest.technologies.set(technologies)
    interest.municipalities.set(municipalities)


def _changed(actor, interest: Interest, verb: str, **details) -> None:
    """Record who changed the interest and bring the stored alert rules up to date."""
    audit_record(actor=actor, verb=verb, target=interest, **details)
    interest_changed.send(sender=Interest, interest_id=interest.pk)


@transaction.atomic
def interest_create(
    *,
    actor,
    name: str,
    fields: Iterable[Field] = (),
    technologies: Iterable[Technology] = (),
    municipalities: Iterable[Municipality] = (),
    keywords: Iterable[str] = (),
    is_active: bool = True,
) -> Interest:
    """Save a new interest for the member; new challenges that fit it will be notified."""
    _require_member(actor)
    if Interest.objects.filter(owner=actor).count() >= MAX_INTERESTS:
        raise ServiceError(_("保存できる関心は%(n)s件までです。") % {"n": MAX_INTERESTS})
    interest = Interest(owner=actor)
    _apply(
        interest,
        name=name,
        fields=fields,
        technologies=technologies,
        municipalities=municipalities,
        keywords=keywords,
        is_active=is_active,
    )
    _changed(actor, interest, "interest.created")
    return interest


@transaction.atomic
def interest_update(
    *,
    actor,
    interest: Interest,
    name: str,
    fields: Iterable[Field] = (),
    technologies: Iterable[Technology] = (),
    municipalities: Iterable[Municipality] = (),
    keywords: Iterable[str] = (),
    is_active: bool = True,
) -> Interest:
    """Change an interest's name, criteria or switch."""
    interest = _lock_own(actor, interest)
    _apply(
        interest,
        name=name,
        fields=fields,
        technologies=technologies,
        municipalities=municipalities,
        keywords=keywords,
        is_active=is_active,
    )
    _changed(actor, interest, "interest.updated")
    return interest


@transaction.atomic
def interest_set_active(*, actor, interest: Interest, active: bool) -> bool:
    """Switch alerts of one interest on or off; returns False when nothing changed."""
    interest = _lock_own(actor, interest)
    if interest.is_active == active:
        return False
    interest.is_active = active
    interest.save(update_fields=["is_active", "updated_at"])
    _changed(actor, interest, "interest.activated" if active else "interest.deactivated")
    return True


@transaction.atomic
def interest_delete(*, actor, interest: Interest) -> None:
    """Delete an interest; alerts already sent stay in the person's notifications."""
    interest = _lock_own(actor, interest)
    _changed(actor, interest, "interest.deleted", name=interest.name)
    interest.delete()


def challenge_alerts_send(*, challenge_id: int, matcher=None) -> int:
    """Tell the owners of matching interests about a challenge's first publication.

    Matching runs first, outside the transaction (it may ask Elasticsearch, which can raise
    search.backends.percolator.PercolatorUnavailable); the deliveries are then written once,
    under a lock on the challenge. Returns how many people were notified.
    """
    if ChallengeAlert.objects.filter(challenge_id=challenge_id).exists():
        return 0
    if not Challenge.objects.filter(
        pk=challenge_id, is_published=True, status=Challenge.Status.OPEN
    ).exists():
        return 0
    document = challenge_document(challenge_id)
    if document is None:
        return 0
    interest_ids = (matcher or get_alert_matcher()).matching_interest_ids(document)
    return _alerts_deliver(challenge_id=challenge_id, interest_ids=interest_ids)


@transaction.atomic
def _alerts_deliver(*, challenge_id: int, interest_ids: list[int]) -> int:
    challenge = (
        Challenge.objects.select_for_update()
        .filter(pk=challenge_id, is_published=True, status=Challenge.Status.OPEN)
        .first()
    )
    if challenge is None:
        return 0
    run, created = ChallengeAlert.objects.get_or_create(challenge=challenge)
    if not created:
        return 0
    interests = (
        Interest.objects.filter(
            pk__in=interest_ids,
            is_active=True,
            owner__is_active=True,
            owner__memberships__organisation__status=Organisation.Status.APPROVED,
        )
        .select_related("owner")
        .distinct()
        .order_by("owner_id", "pk")
    )
    by_owner: dict[int, list[Interest]] = {}
    for interest in interests:
        by_owner.setdefault(interest.owner_id, []).append(interest)
    already = set(
        AlertDelivery.objects.filter(challenge=challenge, recipient_id__in=by_owner).values_list(
            "recipient_id", flat=True
        )
    )
    challenge = Challenge.objects.select_related("municipality", "field").get(pk=challenge.pk)
    sent = 0
    for owner_id, matched in by_owner.items():
        if owner_id in already:
            continue
        owner = matched[0].owner
        notifications = notification_send(
            recipients=[owner],
            verb="interest.matched",
            title=lambda matched=matched: (
                _("「%(interest)s」に合う課題が公開されました: %(title)s")
                % {"interest": matched[0].name, "title": localized_text(challenge)}
            ),
            body=lambda matched=matched: (
                _("%(municipality)s・%(field)s\n%(summary)s\n\n合った関心: %(names)s")
                % {
                    "municipality": challenge.municipality.display_name,
                    "field": challenge.field.name,
                    "summary": localized_text(challenge, "summary")[:300],
                    "names": _("、").join(i.name for i in matched),
                }
            ),
            url=challenge.url,
        )
        AlertDelivery.objects.create(
            recipient=owner,
            challenge=challenge,
            interest=matched[0],
            notification=notifications[0] if notifications else None,
        )
        sent += 1
    run.matched = sent
    run.save(update_fields=["matched"])
    return sent


def alert_index_sync() -> int:
    """Bring the stored alert rules of the configured backend in line with the database."""
    return get_alert_matcher().sync()


def alert_index_rebuild() -> int:
    """Load every rule into a fresh percolator index; returns how many (0 when embedded)."""
    return get_alert_matcher().rebuild()


@transaction.atomic
def suggestion_feedback_record(
    *,
    actor,
    challenge: Challenge,
    solution: SolutionProfile,
    useful: bool,
    reasons: tuple[str, ...] | list[str] = (),
) -> SuggestionFeedback:
    """Store (or change) the actor's vote on one suggested pairing they were shown, with the
    kinds of reason shown beside it (clause names; unknown ones are not kept)."""
    if not may_rate(actor, challenge=challenge, solution=solution):
        raise PermissionDenied(_("この組み合わせを評価することはできません。"))
    shown = [clause for clause in CLAUSE_LABELS if clause in set(reasons)]
    feedback, _created = SuggestionFeedback.objects.update_or_create(
        user=actor,
        challenge=challenge,
        solution=solution,
        defaults={"useful": useful, "reasons": shown},
    )
    audit_record(
        actor=actor,
        verb="suggestion.rated",
        target=feedback,
        challenge=challenge.pk,
        solution=solution.pk,
        useful=useful,
    )
    return feedback


def evaluation_run_record(
    *, dataset: str, backend: str, scores: dict, commit: str = ""
) -> EvaluationRun:
    """Keep one evaluate_matching run for the secretariat's matching page (a command's record)."""
    return EvaluationRun.objects.create(
        dataset=dataset, backend=backend, scores=scores, commit=commit[:40]
    )
