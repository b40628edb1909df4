"""Reads of calls (募集回): the public list and page, who may manage which call, reminders."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from forum.models import Call, Challenge, Follow, Organisation
from forum.rules.calls import PHASE_LABELS, TimelineStep, call_phase, call_timeline
from forum.selectors.challenges import challenge_list_published
from forum.selectors.roles import organisation_list_for_user, user_is_secretariat


def call_list_published() -> QuerySet[Call]:
    """Published calls, newest intake first, with how many published challenges each has."""
    return (
        Call.objects.filter(is_published=True)
        .select_related("organisation", "organisation__municipality")
        .annotate(challenge_count=Count("challenges", filter=Q(challenges__is_published=True)))
    )


def call_get_published(slug: str) -> Call | None:
    """One published call by its slug."""
    return call_list_published().filter(slug=slug).first()


def call_list_manageable(user) -> QuerySet[Call]:
    """Calls the user may edit: all for the secretariat, their municipality's for its staff."""
    if not user.is_authenticated:
        return Call.objects.none()
    if user_is_secretariat(user):
        return Call.objects.all()
    return Call.objects.filter(organisation__in=organisation_list_runnable_by(user))


def organisation_list_runnable_by(user) -> QuerySet[Organisation]:
    """Organisations in whose name the user may run a call: the secretariat (for the
    secretariat) and the municipality organisations the user works for."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    kinds = [Organisation.Kind.MUNICIPALITY]
    if user_is_secretariat(user):
        return Organisation.objects.filter(
            kind__in=[Organisation.Kind.SECRETARIAT, Organisation.Kind.MUNICIPALITY],
            status=Organisation.Status.APPROVED,
        )
    return organisation_list_for_user(user).filter(kind__in=kinds)


def call_is_forum_wide(call: Call) -> bool:
    """Run by the secretariat for the whole forum (not one municipality's own call)."""
    return call.organisation.kind == Organisation.Kind.SECRETARIAT


def call_results(call: Call) -> list:
    """The call's published selection results, challenge by challenge; empty until the
    selection is published. The page shows its results section from this."""
    return []


@dataclass
class CallView:
    """Everything the public call page shows."""

    call: Call
    timeline: list[TimelineStep]
    phase: str
    phase_label: str
    next_step: TimelineStep | None
    today: date
    # Where "today" falls between the steps when no step is under way (None when one is).
    today_index: int | None
    challenges: list[Challenge] = field(default_factory=list)
    results: list = field(default_factory=list)


def call_view(call: Call, *, today: date | None = None) -> CallView:
    """The call's timeline with where we are now, its published challenges and results."""
    today = today or timezone.localdate()
    timeline = call_timeline(call, today=today)
    phase = call_phase(call, today=today)
    current = [s for s in timeline if s.state == "current"]
    upcoming = [s for s in timeline if s.state == "future"]
    return CallView(
        call=call,
        timeline=timeline,
        phase=phase,
        phase_label=str(PHASE_LABELS[phase]),
        next_step=current[0] if current else (upcoming[0] if upcoming else None),
        today=today,
        today_index=None if current else len([s for s in timeline if s.state == "past"]),
        challenges=list(challenge_list_published().filter(call=call).order_by("title")),
        results=call_results(call),
    )


def call_list_for_challenge_form(municipality_id: int | None) -> QuerySet[Call]:
    """Calls a challenge of this municipality may join: forum-wide ones and its own."""
    condition = Q(organisation__kind=Organisation.Kind.SECRETARIAT)
    if municipality_id is not None:
        condition |= Q(
            organisation__kind=Organisation.Kind.MUNICIPALITY,
            organisation__municipality_id=municipality_id,
        )
    return Call.objects.filter(condition)


def call_list_with_reminders_due(*, today: date) -> QuerySet[Call]:
    """Published calls with a deadline close enough to remind people of (the rule decides)."""
    return Call.objects.filter(is_published=True).filter(
        Q(question_deadline__gte=today) | Q(intake_closes_on__gte=today)
    )


def call_audience_followers(call: Call) -> set[int]:
    """Users following a published challenge of the call."""
    challenges = Challenge.objects.filter(call=call, is_published=True)
    followers = Follow.objects.filter(challenge__in=challenges).values_list("user_id", flat=True)
    return set(followers)
