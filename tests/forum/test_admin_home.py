"""The admin home's questions panel (forum/admin_home.py): the secretariat sees every question
waiting for an answer, municipality staff their own municipality's, each one click from its
answer form."""

from django.urls import reverse

import pytest

from forum.services.questions import question_answer, question_ask, question_publish
from tests.forum.helpers import signed_in_with_mfa
from tests.forum.proposal_fixtures import published_challenge

pytestmark = pytest.mark.django_db


def _panel(html: str) -> str:
    start = html.index('id="panel-questions_waiting"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def asked(cast):
    """A question to Sakai's challenge, one to Suita's, and one already published."""
    suita = published_challenge("272051", title="吹田の駅前の混雑", url="/challenges/suita/")
    sakai_question = question_ask(
        actor=cast.proposer, challenge=cast.challenge, body="センサーの設置場所は？"
    )
    suita_question = question_ask(actor=cast.proposer, challenge=suita, body="混雑の時間帯は？")
    done = question_ask(actor=cast.proposer, challenge=cast.challenge, body="予算の内訳は？")
    question_answer(actor=cast.reviewer, question=done, answer="機器費です。")
    question_publish(actor=cast.reviewer, question=done)
    return cast, sakai_question, suita_question


def test_secretariat_sees_every_waiting_question_with_its_answer_link(client, asked):
    """The secretariat's panel counts the two waiting questions and links each to its form."""
    cast, sakai_question, suita_question = asked
    signed_in_with_mfa(client, cast.secretariat)
    panel = _panel(client.get(reverse("wagtailadmin_home")).content.decode())
    assert "回答待ちの質問" in panel and "2件" in panel
    assert "センサーの設置場所は？" in panel and "混雑の時間帯は？" in panel
    assert "予算の内訳は？" not in panel
    answer = (
        reverse("forum:question_queue")
        + f"?challenge={sakai_question.challenge_id}#question-{sakai_question.pk}"
    )
    assert f'href="{answer}"' in panel and ">回答する<" in panel


def test_municipality_staff_see_only_their_own_municipalitys_questions(client, asked):
    """Sakai's staff see Sakai's question and not Suita's; Suita's staff the other way round."""
    cast, _sakai_question, _suita_question = asked
    signed_in_with_mfa(client, cast.reviewer)
    panel = _panel(client.get(reverse("wagtailadmin_home")).content.decode())
    assert "センサーの設置場所は？" in panel and "1件" in panel
    assert "混雑の時間帯は？" not in panel
    signed_in_with_mfa(client, cast.other_reviewer)
    panel = _panel(client.get(reverse("wagtailadmin_home")).content.decode())
    assert "混雑の時間帯は？" in panel and "センサーの設置場所は？" not in panel


def test_questions_panel_says_when_nothing_waits(client, cast):
    """With no question waiting the panel shows 0件 and says so."""
    signed_in_with_mfa(client, cast.reviewer)
    panel = _panel(client.get(reverse("wagtailadmin_home")).content.decode())
    assert "0件" in panel and "回答待ちの質問はありません。" in panel


def test_the_answer_link_opens_the_question_in_the_queue(client, asked):
    """Following the panel's link shows the question's answer form."""
    cast, sakai_question, _suita_question = asked
    signed_in_with_mfa(client, cast.reviewer)
    page = client.get(reverse("forum:question_queue"), {"challenge": sakai_question.challenge_id})
    html = page.content.decode()
    assert (
        f'id="question-{sakai_question.pk}"' in html and f'id="answer-{sakai_question.pk}"' in html
    )
