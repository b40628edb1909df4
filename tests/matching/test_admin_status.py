"""The secretariat's matching page: evaluation runs, votes, index health and the feedback download."""

import json

from django.core.management import call_command
from django.urls import reverse

import pytest

from matching.models import EvaluationRun, SuggestionFeedback
from matching.services import evaluation_run_record
from search.models import IndexOutbox

pytestmark = pytest.mark.django_db

SCORES = {
    "challenge_to_solutions": {"ndcg@5": 0.9127, "p@3": 0.52, "mrr": 0.9667},
    "solution_to_challenges": {
        "ndcg@5": 0.9685,
        "p@3": 0.31,
        "mrr": 0.9061,
        "mrr_answerable": 0.9869,
    },
}


@pytest.fixture
def votes(pairing_world):
    world = pairing_world
    SuggestionFeedback.objects.create(
        user=world["sakai"], challenge=world["challenge"], solution=world["unrelated"], useful=False
    )
    SuggestionFeedback.objects.create(
        user=world["member"], challenge=world["challenge"], solution=world["fitting"], useful=True
    )
    return world


def test_secretariat_sees_figures_votes_and_index_health(client, votes):
    """The latest run of each set with date and commit, votes and rate, worst pairs, health."""
    evaluation_run_record(dataset="matching-dev-hard.json", backend="local", scores={}, commit="0")
    evaluation_run_record(
        dataset="matching-dev-hard.json", backend="local", scores=SCORES, commit="abc1234"
    )
    IndexOutbox.objects.create(doc_type="challenge", object_id=999)
    client.force_login(votes["secretariat"])
    response = client.get(reverse("matching_status"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "matching-dev-hard.json" in body and "abc1234" in body and "0.913" in body
    assert "0.969" in body and body.count("matching-dev-hard.json") == 2  # the latest run only
    assert "<td>0.987</td>" in body  # MRR over the queries that have a good answer
    assert "役に立つ: 1件、役に立たない: 1件" in body and "役に立つ割合: 50%（2件中1件）" in body
    assert "観光" in body or votes["unrelated"].title in body  # the pair voted down
    assert "反映待ちの変更" in body and "文ベクトルの計算待ち" in body
    assert "データベースとの違い（check_index）" in body


def test_secretariat_downloads_the_feedback_as_a_labelled_set(client, votes):
    """The download is the export command's data, as an attachment."""
    client.force_login(votes["secretariat"])
    response = client.get(reverse("matching_feedback_download"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="matching-feedback-')
    data = json.loads(response.content)
    key = f"challenge:{votes['challenge'].pk}"
    assert data["relevance"] == {key: {f"solution:{votes['fitting'].pk}": 2}}


@pytest.mark.parametrize("who", ["sakai", "member", "suita"])
@pytest.mark.parametrize("name", ["matching_status", "matching_feedback_download"])
def test_only_the_secretariat_may_open_the_page_or_download(client, votes, who, name):
    """Municipality staff and company members are refused both; nothing of the votes leaks."""
    client.force_login(votes[who])
    response = client.get(reverse(name))
    assert response.status_code in (302, 403)
    assert votes["fitting"].title not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, votes):
    """Without an account the admin asks for a sign-in."""
    assert client.get(reverse("matching_status")).status_code == 302
    assert client.get(reverse("matching_feedback_download")).status_code == 302


def test_evaluate_matching_records_a_run_when_asked(tmp_path, capsys):
    """--record keeps the figures with the set's name and the commit."""
    path = tmp_path / "set.json"
    path.write_text(
        json.dumps(
            {
                "challenges": [
                    {"id": "c1", "title": "ため池の水位", "summary": "水位を見守りたい"}
                ],
                "solutions": [{"id": "s1", "title": "水位センサー", "summary": "ため池の水位"}],
                "relevance": {"c1": {"s1": 3}},
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    call_command("evaluate_matching", str(path), "--json", "--record")
    run = EvaluationRun.objects.get()
    assert run.dataset == "set.json" and run.backend == "local"
    assert run.scores["challenge_to_solutions"]["ndcg@5"] == 1.0


def test_votes_are_counted_per_kind_of_reason_with_their_useful_rate(client, votes):
    """Each vote counts under every kind of reason its pair was shown with; the rate follows."""
    SuggestionFeedback.objects.filter(useful=False).update(reasons=["semantic", "text"])
    SuggestionFeedback.objects.filter(useful=True).update(reasons=["semantic", "same_field"])
    client.force_login(votes["secretariat"])
    body = client.get(reverse("matching_status")).content.decode()
    rows = {
        row.clause: (row.useful, row.not_useful, row.rate)
        for row in client.get(reverse("matching_status")).context["votes_by_reason"]
    }
    assert rows["semantic"] == (1, 1, 0.5)
    assert rows["text"] == (0, 1, 0.0)
    assert rows["same_field"] == (1, 0, 1.0)
    assert rows["shared_technology"] == (0, 0, None)
    assert "理由の種類ごとの評価" in body
    assert "<td>内容の意味が近い</td><td>1</td><td>1</td><td>50%（2件中1件）</td>" in body
    assert "<td>共通の語句</td><td>0</td><td>1</td><td>0%（1件中0件）</td>" in body
    assert "<td>共通の技術</td><td>0</td><td>0</td><td>—</td>" in body
    assert "0.50" not in body and "0.00" not in body


def test_shares_are_whole_percentages(client, votes):
    """Two useful votes out of three read 67%, with the votes counted beside it."""
    SuggestionFeedback.objects.create(
        user=votes["suita"], challenge=votes["challenge"], solution=votes["fitting"], useful=True
    )
    client.force_login(votes["secretariat"])
    body = client.get(reverse("matching_status")).content.decode()
    assert "役に立つ割合: 67%（3件中2件）" in body


def test_without_a_run_the_page_speaks_to_the_secretariat_not_to_developers(client, votes):
    """Before any evaluation the page says the figures appear once the operators run it; the
    command is only in a small note for the operators."""
    client.force_login(votes["secretariat"])
    body = client.get(reverse("matching_status")).content.decode()
    assert "運用担当者が精度の評価を実行すると、ここに数値が表示されます。" in body
    note = body[body.index('class="help forum-operators-note"') :]
    note = note[: note.index("</p>")]
    assert "運用担当者向け" in note and "evaluate_matching" in note and "--record" in note
    assert "evaluate_matching に --record を付けて実行すると" not in body


@pytest.mark.parametrize(
    ("who", "shown"), [("secretariat", True), ("sakai", False), ("member", False)]
)
def test_the_menu_entry_is_shown_to_the_secretariat_only(rf, votes, who, shown):
    """The admin menu names the page for the secretariat; others never see the entry."""
    from matching.wagtail_hooks import register_matching_status_menu_item

    request = rf.get("/admin/")
    request.user = votes[who]
    assert register_matching_status_menu_item().is_shown(request) is shown
