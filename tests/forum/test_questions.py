"""Questions about a challenge: asked privately, answered, published without the asker,
merged or declined with the asker told; the public record (page, API, open data)."""

from django.urls import reverse
from django.utils import timezone

import pytest

from forum.models import AuditEvent, Follow, Notification, Question
from forum.services.errors import ServiceError
from forum.services.notifications import notification_preference_update
from forum.services.questions import (
    question_answer,
    question_ask,
    question_decline,
    question_merge,
    question_publish,
)
from tests.forum.call_fixtures import forum_call, move

pytestmark = pytest.mark.django_db

ASKER_ORG = "株式会社みずもり"


def _published(
    cast, body="センサーの設置場所は指定されていますか？", answer="府内の3か所を想定しています。"
):
    question = question_ask(actor=cast.proposer, challenge=cast.challenge, body=body)
    question_answer(actor=cast.reviewer, question=question, answer=answer)
    return question_publish(actor=cast.reviewer, question=question)


def test_an_answer_is_published_and_the_audience_is_told(cast):
    Follow.objects.create(user=cast.other_member, challenge=cast.challenge)
    proposal = cast.proposal("draft")
    question = question_ask(actor=cast.proposer, challenge=cast.challenge, body="予算の内訳は？")
    assert Notification.objects.filter(recipient=cast.reviewer, verb="question.asked").exists()
    with pytest.raises(ServiceError, match="公開できるのは回答済み"):
        question_publish(actor=cast.reviewer, question=question)
    question_answer(actor=cast.reviewer, question=question, answer="機器費と運用費です。")
    notification_preference_update(user=cast.other_member, language="en")
    question_publish(actor=cast.reviewer, question=question)
    question.refresh_from_db()
    assert question.status == "published" and question.published_at is not None
    told = set(
        Notification.objects.filter(verb="question.published").values_list("recipient", flat=True)
    )
    assert {cast.other_member.pk, cast.proposer.pk} <= told
    assert proposal.organisation == cast.proposer_org
    english = Notification.objects.get(verb="question.published", recipient=cast.other_member)
    assert english.title.startswith("An answer")
    verbs = set(AuditEvent.objects.filter(target_id=question.pk).values_list("verb", flat=True))
    assert {"question.answered", "question.published"} <= verbs


def test_merge_points_to_the_other_question_and_tells_the_asker(cast):
    first = question_ask(actor=cast.proposer, challenge=cast.challenge, body="水位の精度は？")
    second = question_ask(
        actor=cast.other_member, challenge=cast.challenge, body="精度はどの程度？"
    )
    question_merge(actor=cast.reviewer, question=second, into=first)
    second.refresh_from_db()
    assert second.status == "merged" and second.merged_into == first
    assert Notification.objects.filter(recipient=cast.other_member, verb="question.merged").exists()
    assert AuditEvent.objects.filter(verb="question.merged", target_id=second.pk).exists()
    with pytest.raises(ServiceError):
        question_merge(actor=cast.reviewer, question=first, into=first)


def test_decline_needs_a_reason_which_the_asker_is_told(cast):
    question = question_ask(
        actor=cast.proposer, challenge=cast.challenge, body="他社の提案内容は？"
    )
    with pytest.raises(ServiceError, match="回答しない理由を入力"):
        question_decline(actor=cast.secretariat, question=question, reason=" ")
    question_decline(
        actor=cast.secretariat, question=question, reason="他社の情報はお答えできません。"
    )
    told = Notification.objects.get(recipient=cast.proposer, verb="question.declined")
    assert told.body == "他社の情報はお答えできません。"
    assert AuditEvent.objects.get(verb="question.declined").actor == cast.secretariat


def test_no_question_after_the_question_deadline(cast):
    call = forum_call(cast.secretariat)
    cast.challenge.call = call
    cast.challenge.save()
    move(call, question_deadline=-1)
    with pytest.raises(ServiceError) as error:
        question_ask(actor=cast.proposer, challenge=cast.challenge, body="まだ聞けますか？")
    assert "質問受付は" in error.value.message
    assert not Question.objects.exists()


def test_empty_and_overlong_questions_are_refused(cast):
    with pytest.raises(ServiceError, match="質問を入力"):
        question_ask(actor=cast.proposer, challenge=cast.challenge, body="  ")
    with pytest.raises(ServiceError, match="2,000文字以内"):
        question_ask(actor=cast.proposer, challenge=cast.challenge, body="あ" * 2001)


def test_a_refused_question_keeps_what_was_written(client, cast):
    call = forum_call(cast.secretariat)
    cast.challenge.call = call
    cast.challenge.save()
    move(call, question_deadline=-1)
    client.force_login(cast.proposer)
    response = client.post(
        reverse("forum:question_ask", args=[cast.challenge.pk]), {"body": "締切後の質問文"}
    )
    assert response.status_code == 400
    assert "締切後の質問文" in response.content.decode()
    assert "締め切りました" in response.content.decode()


def test_public_record_never_names_the_asker(client, cast):
    question = _published(cast)
    unpublished = question_ask(actor=cast.proposer, challenge=cast.challenge, body="非公開の質問")
    api = client.get(f"/api/v1/challenges/{cast.challenge.pk}/questions/").json()
    assert [r["id"] for r in api["results"]] == [question.pk]
    text = str(api)
    assert ASKER_ORG not in text and cast.proposer.email not in text and "asker" not in text
    assert "非公開の質問" not in text
    one = client.get(f"/api/v1/challenges/{cast.challenge.pk}/questions/{unpublished.pk}/")
    assert one.status_code == 404
    data = client.get("/opendata/answers.json")
    assert data.status_code == 200
    body = data.content.decode()
    assert "府内の3か所を想定しています。" in body and ASKER_ORG not in body
    assert "非公開の質問" not in body and cast.proposer.email not in body
    csv = client.get("/opendata/answers.csv")
    assert "府内の3か所を想定しています。" in b"".join(csv.streaming_content).decode("utf-8-sig")


def test_queue_shows_each_side_its_own(client, cast):
    question_ask(actor=cast.proposer, challenge=cast.challenge, body="未回答の質問です")
    client.force_login(cast.reviewer)
    assert "未回答の質問です" in client.get(reverse("forum:question_queue")).content.decode()
    client.force_login(cast.secretariat)
    assert "未回答の質問です" in client.get(reverse("forum:question_queue")).content.decode()
    client.force_login(cast.other_reviewer)
    assert "未回答の質問です" not in client.get(reverse("forum:question_queue")).content.decode()


def test_staff_answer_and_publish_through_the_queue(client, cast):
    question = question_ask(actor=cast.proposer, challenge=cast.challenge, body="実証の期間は？")
    client.force_login(cast.reviewer)
    client.post(
        reverse("forum:question_action", args=[question.pk, "answer"]), {"answer": "半年です。"}
    )
    client.post(reverse("forum:question_action", args=[question.pk, "publish"]))
    question.refresh_from_db()
    assert question.status == "published" and question.answer == "半年です。"
    assert question.published_at <= timezone.now()
