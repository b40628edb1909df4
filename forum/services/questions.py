"""Questions about a challenge (質問回答): asked privately, answered by the challenge's
municipality or the secretariat, published for everyone without the asker, merged or declined.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.language import localized_text
from forum.models import Challenge, Question
from forum.rules.calls import call_question_refusal
from forum.selectors.questions import question_audience_ids, user_can_answer
from forum.selectors.roles import organisation_list_acting_for_user
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.notifications import notification_send
from forum.services.text import clean_text

S = Question.Status


def _refuse_if_closed_for_questions(challenge: Challenge) -> None:
    if not challenge.is_published:
        raise ServiceError(_("この課題は公開されていません。"))
    refusal = call_question_refusal(challenge.call, today=timezone.localdate())
    if refusal:
        raise ServiceError(refusal, code="deadline")
    if challenge.call_id is None and challenge.status != Challenge.Status.OPEN:
        raise ServiceError(_("この課題の募集は終了しています。質問できません。"))


@transaction.atomic
def question_ask(*, actor, challenge: Challenge, body: str) -> Question:
    """A member of an approved organisation asks about a challenge, privately."""
    organisation = organisation_list_acting_for_user(actor).first()
    if organisation is None:
        raise PermissionDenied(_("質問できるのは承認済みの会員団体に所属する会員です。"))
    challenge = Challenge.objects.select_related("call").get(pk=challenge.pk)
    _refuse_if_closed_for_questions(challenge)
    question = Question.objects.create(
        challenge=challenge,
        asker=actor,
        organisation=organisation,
        body=clean_text(body, label=_("質問"), limit=2000, required=True),
    )
    staff = _answerers(challenge)
    notification_send(
        recipients=staff,
        verb="question.asked",
        title=lambda: _("「%(title)s」に質問が届きました") % {"title": localized_text(challenge)},
        url="/member/questions/",
    )
    return question


def _answerers(challenge: Challenge) -> list:
    """The challenge's municipality staff (the secretariat watches its own queue)."""
    return list(
        get_user_model()
        .objects.filter(
            memberships__organisation__municipality_id=challenge.municipality_id,
            memberships__organisation__kind="municipality",
            memberships__organisation__status="approved",
        )
        .distinct()
    )


def _lock_for_answer(actor, question: Question) -> Question:
    question = Question.objects.select_for_update().select_related("challenge").get(pk=question.pk)
    if not user_can_answer(actor, question.challenge):
        raise PermissionDenied(_("この質問に回答できるのは、課題の市町村の職員と事務局です。"))
    return question


@transaction.atomic
def question_answer(*, actor, question: Question, answer: str) -> Question:
    """Write (or correct) the answer; a published answer is corrected in place."""
    question = _lock_for_answer(actor, question)
    if question.status not in (S.PENDING, S.ANSWERED, S.PUBLISHED):
        raise ServiceError(_("統合済み・回答しないとした質問には回答できません。"))
    question.answer = clean_text(answer, label=_("回答"), limit=5000, required=True)
    question.answered_by = actor
    question.answered_at = timezone.now()
    if question.status == S.PENDING:
        question.status = S.ANSWERED
    question.save()
    audit_record(
        actor=actor, verb="question.answered", target=question, challenge=question.challenge_id
    )
    return question


@transaction.atomic
def question_publish(*, actor, question: Question) -> Question:
    """Publish an answered question for everyone, without who asked, and tell the challenge's
    followers and everyone with a draft or submitted proposal to it (the asker too)."""
    question = _lock_for_answer(actor, question)
    if question.status != S.ANSWERED:
        raise ServiceError(_("公開できるのは回答済みで未公開の質問です。"))
    question.status = S.PUBLISHED
    question.published_at = timezone.now()
    question.save()
    audit_record(
        actor=actor, verb="question.published", target=question, challenge=question.challenge_id
    )
    challenge = question.challenge
    recipients = get_user_model().objects.filter(
        pk__in=question_audience_ids(challenge) | {question.asker_id}
    )
    notification_send(
        recipients=recipients,
        verb="question.published",
        title=lambda: (
            _("「%(title)s」の質問への回答が公開されました") % {"title": localized_text(challenge)}
        ),
        body=question.answer[:500],
        url=f"{challenge.url}#questions",
    )
    return question


@transaction.atomic
def question_merge(*, actor, question: Question, into: Question) -> Question:
    """Merge a question into another of the same challenge: it points there, and its asker is
    told that the answer will be given with that question."""
    question = _lock_for_answer(actor, question)
    if into.pk == question.pk or into.challenge_id != question.challenge_id:
        raise ServiceError(_("統合先には同じ課題の別の質問を選んでください。"))
    if into.status in (S.MERGED, S.DECLINED):
        raise ServiceError(_("統合済み・回答しないとした質問には統合できません。"))
    if question.status not in (S.PENDING, S.ANSWERED):
        raise ServiceError(_("この質問はすでに公開・統合・回答しないのいずれかになっています。"))
    question.status = S.MERGED
    question.merged_into = into
    question.save()
    audit_record(
        actor=actor,
        verb="question.merged",
        target=question,
        into=into.pk,
        challenge=question.challenge_id,
    )
    challenge = question.challenge
    notification_send(
        recipients=[question.asker],
        verb="question.merged",
        title=lambda: (
            _("「%(title)s」へのご質問は、同じ内容の質問とまとめて回答します")
            % {"title": localized_text(challenge)}
        ),
        url=f"{challenge.url}#questions",
    )
    return question


@transaction.atomic
def question_decline(*, actor, question: Question, reason: str) -> Question:
    """Decline to answer, with a reason the asker is told."""
    question = _lock_for_answer(actor, question)
    if question.status not in (S.PENDING, S.ANSWERED):
        raise ServiceError(_("この質問はすでに公開・統合・回答しないのいずれかになっています。"))
    question.decline_reason = clean_text(
        reason, label=_("回答しない理由"), limit=2000, required=True
    )
    question.status = S.DECLINED
    question.save()
    audit_record(
        actor=actor, verb="question.declined", target=question, challenge=question.challenge_id
    )
    challenge = question.challenge
    notification_send(
        recipients=[question.asker],
        verb="question.declined",
        title=lambda: (
            _("「%(title)s」へのご質問には回答できません") % {"title": localized_text(challenge)}
        ),
        body=question.decline_reason,
        url=f"{challenge.url}#questions",
    )
    return question
