"""Every role × every question action: refused wherever the rules say so."""

from django.urls import reverse

import pytest

from cms.page_context import challenge_detail_context
from forum.models import Question
from forum.services.errors import PermissionDenied
from forum.services.questions import question_answer, question_ask, question_publish

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "proposer", "other_member", "reviewer", "other_reviewer", "secretariat"]
# Who answers, publishes, merges and declines a question about the cast's challenge.
ANSWERERS = {"reviewer", "secretariat"}
ACTIONS = {
    "answer": {"answer": "回答します。"},
    "publish": {},
    "merge": {},
    "decline": {"reason": "お答えできません。"},
}


def _login(client, cast, role):
    if role != "anonymous":
        client.force_login(getattr(cast, role))


def _question(cast, *, answered=False) -> Question:
    question = question_ask(actor=cast.proposer, challenge=cast.challenge, body="質問です。")
    if answered:
        question_answer(actor=cast.reviewer, question=question, answer="回答です。")
    return question


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_only_the_challenges_municipality_and_the_secretariat_act(client, cast, role, action):
    question = _question(cast, answered=action == "publish")
    target = _question(cast)
    data = {**ACTIONS[action], "into": target.pk}
    before = Question.objects.values_list("status", "answer").get(pk=question.pk)
    _login(client, cast, role)
    response = client.post(reverse("forum:question_action", args=[question.pk, action]), data)
    after = Question.objects.values_list("status", "answer").get(pk=question.pk)
    if role in ANSWERERS:
        assert after != before
    else:
        assert after == before
        assert response.status_code in (302, 404)
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["anonymous", "reviewer", "other_reviewer", "secretariat"])
def test_anonymous_and_staff_cannot_ask(client, cast, role):
    _login(client, cast, role)
    client.post(reverse("forum:question_ask", args=[cast.challenge.pk]), {"body": "質問"})
    assert not Question.objects.exists()


def test_other_municipality_staff_cannot_answer_in_the_service(cast):
    question = _question(cast)
    with pytest.raises(PermissionDenied):
        question_answer(actor=cast.other_reviewer, question=question, answer="他市から")
    answered = _question(cast, answered=True)
    with pytest.raises(PermissionDenied):
        question_publish(actor=cast.other_reviewer, question=answered)


@pytest.mark.parametrize("role", ROLES)
def test_an_unanswered_question_is_seen_only_by_its_asker(client, cast, role):
    _question(cast)
    cast.challenge.page_id = 990001
    cast.challenge.save()

    class Page:
        pk = cast.challenge.page_id
        attachments = type("A", (), {"select_related": staticmethod(lambda *a: [])})()

    user = getattr(cast, role) if role != "anonymous" else None
    context = challenge_detail_context(Page(), user)
    own = [q.body for q in context["own_questions"]]
    public = [q.body for q in context["public_questions"]]
    assert public == []
    assert own == (["質問です。"] if role == "proposer" else [])


@pytest.mark.parametrize("role", ["anonymous", "proposer", "other_member"])
def test_members_and_visitors_have_no_queue(client, cast, role):
    _question(cast)
    _login(client, cast, role)
    response = client.get(reverse("forum:question_queue"))
    assert response.status_code in (302, 404)
