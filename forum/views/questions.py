"""Questions about challenges in the member area: asking, and the queue of those who answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.models import Challenge, Question
from forum.selectors.questions import (
    question_get_for_answerer,
    question_list_merge_targets,
    question_list_queue,
)
from forum.selectors.roles import user_is_municipality_staff, user_is_secretariat
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.questions import (
    question_answer,
    question_ask,
    question_decline,
    question_merge,
    question_publish,
)


@login_required
@require_POST
def question_ask_view(request, challenge_id: int):
    """Ask a question about a published challenge; a refusal keeps what was written."""
    challenge = get_object_or_404(Challenge, pk=challenge_id, is_published=True)
    body = request.POST.get("body", "")
    try:
        question_ask(actor=request.user, challenge=challenge, body=body)
    except (PermissionDenied, ServiceError) as error:
        message = error.message if isinstance(error, ServiceError) else str(error)
        return render(
            request,
            "forum/question_ask.html",
            {"challenge": challenge, "body": body, "error": message},
            status=400 if isinstance(error, ServiceError) else 403,
        )
    messages.success(
        request,
        _("質問を受け付けました。回答が公開されると、質問者名を伏せて課題のページに掲載されます。"),
    )
    return redirect(f"{challenge.url or reverse('forum:member_home')}#questions")


@login_required
def question_queue_view(request):
    """Unanswered and unpublished questions: the municipality's for its staff, all for the
    secretariat; narrowed to one challenge with ?challenge=."""
    if not (user_is_secretariat(request.user) or user_is_municipality_staff(request.user)):
        raise Http404
    challenge_id = request.GET.get("challenge")
    challenge_id = int(challenge_id) if challenge_id and challenge_id.isdigit() else None
    queue = list(question_list_queue(request.user, challenge_id=challenge_id))
    targets = question_list_merge_targets(request.user, {q.challenge_id for q in queue})
    for question in queue:
        question.merge_targets = [
            other
            for other in targets
            if other.challenge_id == question.challenge_id and other.pk != question.pk
        ]
    return render(
        request,
        "forum/question_queue.html",
        {"queue": queue, "challenge_id": challenge_id},
    )


def _act(request, question: Question, action: str) -> str:
    """Run one action on a question; return the success message."""
    actor = request.user
    if action == "answer":
        question_answer(actor=actor, question=question, answer=request.POST.get("answer", ""))
        return _("回答を保存しました（まだ公開されていません）。")
    if action == "publish":
        question_publish(actor=actor, question=question)
        return _("回答を公開しました。課題のフォロワーと提案者にお知らせしました。")
    if action == "merge":
        into_id = request.POST.get("into", "")
        into = question_get_for_answerer(actor, int(into_id)) if into_id.isdigit() else None
        if into is None:
            raise ServiceError(_("統合先の質問を選んでください。"))
        question_merge(actor=actor, question=question, into=into)
        return _("質問を統合しました。質問者にお知らせしました。")
    if action == "decline":
        question_decline(actor=actor, question=question, reason=request.POST.get("reason", ""))
        return _("回答しないことにしました。理由を質問者にお知らせしました。")
    raise Http404


@login_required
@require_POST
def question_action_view(request, pk: int, action: str):
    """Answer, publish, merge or decline a question the user may answer."""
    question = question_get_for_answerer(request.user, pk)
    if question is None:
        raise Http404
    try:
        messages.success(request, _act(request, question, action))
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(f"{reverse('forum:question_queue')}#question-{question.pk}")
