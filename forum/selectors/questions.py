"""Who may see which question, decided here once.

The public sees published answers only, never who asked; the asker sees their own questions;
the challenge's municipality staff and the secretariat see every question to answer them.
"""

from django.db.models import Count, QuerySet

from forum.models import Challenge, Follow, Membership, Organisation, Proposal, Question
from forum.selectors.proposals import municipality_ids_reviewed_by
from forum.selectors.roles import user_is_secretariat


def question_list_public(challenge: Challenge) -> QuerySet[Question]:
    """The published questions and answers of a challenge, in order of publication."""
    return Question.objects.filter(
        challenge=challenge, challenge__is_published=True, status=Question.Status.PUBLISHED
    ).order_by("published_at", "pk")


def question_list_public_all() -> QuerySet[Question]:
    """Every published answer of every published challenge (open data, the API)."""
    return (
        Question.objects.filter(status=Question.Status.PUBLISHED, challenge__is_published=True)
        .select_related("challenge")
        .order_by("challenge_id", "published_at", "pk")
    )


def question_list_of_asker(user, challenge: Challenge) -> QuerySet[Question]:
    """The person's own questions about a challenge, newest first."""
    if not user.is_authenticated:
        return Question.objects.none()
    return Question.objects.filter(challenge=challenge, asker=user).order_by("-created_at", "-pk")


def user_can_answer(user, challenge: Challenge) -> bool:
    """The challenge's municipality staff and the secretariat answer its questions."""
    if not user.is_authenticated:
        return False
    return user_is_secretariat(user) or challenge.municipality_id in municipality_ids_reviewed_by(
        user
    )


def question_list_for_answerer(user) -> QuerySet[Question]:
    """Questions the user may answer: all for the secretariat, their municipality's for staff."""
    if not user.is_authenticated:
        return Question.objects.none()
    qs = Question.objects.select_related("challenge", "challenge__municipality", "merged_into")
    if user_is_secretariat(user):
        return qs
    return qs.filter(challenge__municipality_id__in=municipality_ids_reviewed_by(user))


def question_list_queue(user, *, challenge_id: int | None = None) -> QuerySet[Question]:
    """Questions still waiting for an answer or its publication, oldest first."""
    qs = question_list_for_answerer(user).filter(status__in=Question.OPEN_STATUSES)
    if challenge_id is not None:
        qs = qs.filter(challenge_id=challenge_id)
    return qs.order_by("created_at", "pk")


def question_list_merge_targets(user, challenge_ids) -> list[Question]:
    """Questions of these challenges another may be merged into (not merged or declined)."""
    return list(
        question_list_for_answerer(user)
        .filter(challenge_id__in=challenge_ids)
        .exclude(status__in=[Question.Status.MERGED, Question.Status.DECLINED])
        .order_by("created_at", "pk")
    )


def question_get_for_answerer(user, question_id: int) -> Question | None:
    """One question the user may answer, or None."""
    return question_list_for_answerer(user).filter(pk=question_id).first()


def question_counts_by_challenge(user) -> dict[int, int]:
    """How many questions wait for each challenge the user answers for."""
    rows = (
        question_list_for_answerer(user)
        .filter(status__in=Question.OPEN_STATUSES)
        .values_list("challenge_id")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def question_audience_ids(challenge: Challenge) -> set[int]:
    """Who hears of a published answer: the challenge's followers and the members of every
    organisation with a draft or submitted (live) proposal to it."""
    followers = set(Follow.objects.filter(challenge=challenge).values_list("user_id", flat=True))
    organisations = Proposal.objects.filter(
        challenge=challenge, status__in=Proposal.LIVE_STATUSES
    ).values("organisation_id")
    proposers = set(
        Membership.objects.filter(
            organisation_id__in=organisations,
            organisation__status=Organisation.Status.APPROVED,
        ).values_list("user_id", flat=True)
    )
    return followers | proposers


def question_is_visible_to(user, question: Question) -> bool:
    """The asker, those who answer, or anyone once published."""
    if question.status == Question.Status.PUBLISHED:
        return True
    if not user.is_authenticated:
        return False
    return question.asker_id == user.pk or user_can_answer(user, question.challenge)
