"""``Idempotency-Key`` on the member API: a retried write happens once, per key and owner."""

from datetime import timedelta

from django.utils import timezone

import pytest

from forum.models import AuditEvent, IdempotencyKey, Proposal, SolutionProfile
from forum.services.proposals import proposal_create
from forum.services.submissions import (
    ABANDONED_AFTER,
    idempotency_key_claim,
    submissions_purge,
)
from tests.forum.api.helpers import bearer, member_with_token
from tests.forum.proposal_fixtures import published_challenge

pytestmark = pytest.mark.django_db

SOLUTIONS = "/api/v1/member/solutions/"


def _post(client, path: str, raw: str, body: dict, key: str | None = "retry-1"):
    headers = bearer(raw)
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(path, body, content_type="application/json", **headers)


def _solution(organisation, title: str = "冠水センサー") -> dict:
    return {"organisation": organisation.pk, "title": title, "summary": "道路の冠水を検知"}


def test_same_key_and_body_twice_creates_one_solution_and_answers_the_same(client):
    """The retry gets the first 201 and body back, marked as replayed; one solution exists."""
    _user, organisation, raw = member_with_token()
    first = _post(client, SOLUTIONS, raw, _solution(organisation))
    again = _post(client, SOLUTIONS, raw, _solution(organisation))
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Content-Type"] == "application/json"
    assert (first["Idempotent-Replayed"], again["Idempotent-Replayed"]) == ("false", "true")
    assert SolutionProfile.objects.filter(organisation=organisation).count() == 1
    assert AuditEvent.objects.filter(verb="solution.created").count() == 1


def test_same_key_with_the_body_reordered_counts_as_the_same_request(client):
    """JSON is compared as data: key order and spacing do not make another request."""
    _user, organisation, raw = member_with_token()
    first = _post(client, SOLUTIONS, raw, _solution(organisation))
    reordered = f'{{"summary": "道路の冠水を検知",  "title": "冠水センサー", "organisation": {organisation.pk}}}'
    again = client.post(
        SOLUTIONS,
        reordered,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="retry-1",
        **bearer(raw),
    )
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]


def test_same_key_with_another_body_is_refused_with_a_clear_error(client):
    """422 in the API's error shape; the second solution is not created."""
    _user, organisation, raw = member_with_token()
    _post(client, SOLUTIONS, raw, _solution(organisation))
    other = _post(client, SOLUTIONS, raw, _solution(organisation, title="別の製品"))
    assert other.status_code == 422
    error = other.json()["error"]
    assert error["status"] == 422 and error["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in error["message"]
    assert not SolutionProfile.objects.filter(title="別の製品").exists()


def test_same_key_on_another_path_is_refused(client):
    """A key names one request: used again for another operation it is refused, not replayed."""
    user, organisation, raw = member_with_token()
    created = _post(client, SOLUTIONS, raw, _solution(organisation)).json()
    publish = _post(client, f"{SOLUTIONS}{created['id']}/publish/", raw, {})
    assert publish.status_code == 422


def test_key_of_a_request_still_running_answers_409(client):
    """While the first request with the key has not answered, a retry is told to wait."""
    user, organisation, raw = member_with_token()
    _post(client, SOLUTIONS, raw, _solution(organisation), key="first")
    # Another request with the same content has claimed "running" and not answered yet.
    idempotency_key_claim(
        user=user,
        key="running",
        method="POST",
        path=SOLUTIONS,
        request_hash=IdempotencyKey.objects.get(key="first").request_hash,
    )
    response = _post(client, SOLUTIONS, raw, _solution(organisation), key="running")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_in_progress"
    assert SolutionProfile.objects.filter(organisation=organisation).count() == 1


def test_request_that_died_before_answering_wrote_nothing_and_its_key_is_taken_again(
    client, monkeypatch
):
    """The write and the stored answer commit together: a request that fails between them
    leaves no solution, and once it is surely dead the retry runs and creates one."""
    _user, organisation, raw = member_with_token()

    def crash(**kwargs):
        raise RuntimeError("the process died")

    monkeypatch.setattr("forum.api.idempotency.idempotency_key_answer", crash)
    client.raise_request_exception = False
    assert _post(client, SOLUTIONS, raw, _solution(organisation)).status_code == 500
    assert not SolutionProfile.objects.filter(organisation=organisation).exists()
    monkeypatch.undo()
    assert _post(client, SOLUTIONS, raw, _solution(organisation)).status_code == 409
    IdempotencyKey.objects.update(created_at=timezone.now() - ABANDONED_AFTER)
    assert _post(client, SOLUTIONS, raw, _solution(organisation)).status_code == 201
    assert SolutionProfile.objects.filter(organisation=organisation).count() == 1


def test_server_error_keeps_no_answer_so_the_retry_runs(client, monkeypatch):
    """A 500 is not replayed: the key is freed and the retry creates the solution."""
    _user, organisation, raw = member_with_token()

    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr("forum.api.views.member.solution_create", broken)
    assert _post(client, SOLUTIONS, raw, _solution(organisation)).status_code == 500
    monkeypatch.undo()
    assert _post(client, SOLUTIONS, raw, _solution(organisation)).status_code == 201
    assert SolutionProfile.objects.filter(organisation=organisation).count() == 1


def test_keys_are_each_owners_own(client):
    """Two people using the same key each get their own solution, never the other's answer."""
    _user, organisation, raw = member_with_token()
    _other, other_organisation, other_raw = member_with_token()
    mine = _post(client, SOLUTIONS, raw, _solution(organisation), key="shared")
    theirs = _post(client, SOLUTIONS, other_raw, _solution(other_organisation), key="shared")
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert theirs["Idempotent-Replayed"] == "false"


def test_retried_action_gets_the_first_answer(client):
    """Actions are writes too: a retried submit with the same key replays the first answer
    and the proposal is submitted (and audited) once."""
    user, organisation, raw = member_with_token()
    proposal = proposal_create(
        actor=user,
        challenge=published_challenge(),
        organisation=organisation,
        title="水位の見える化",
        summary="センサーで水位を測ります。",
    )
    path = f"/api/v1/member/proposals/{proposal.pk}/submit/"
    first = _post(client, path, raw, {}, key="submit-1")
    again = _post(client, path, raw, {}, key="submit-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SUBMITTED
    assert AuditEvent.objects.filter(verb="proposal.submit", target_id=proposal.pk).count() == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "with space", "改行なし日本語"])
def test_malformed_key_is_refused_before_anything_is_written(client, key):
    """Empty, too long or non-ASCII keys get 400 naming the header; nothing is created."""
    _user, organisation, raw = member_with_token()
    headers = {**bearer(raw), "HTTP_IDEMPOTENCY_KEY": key}
    response = client.post(
        SOLUTIONS, _solution(organisation), content_type="application/json", **headers
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["error"]["details"]
    assert not SolutionProfile.objects.filter(organisation=organisation).exists()


def test_writes_without_a_key_behave_as_before(client):
    """The header is optional: two posts without it create two solutions."""
    _user, organisation, raw = member_with_token()
    for _ in range(2):
        assert _post(client, SOLUTIONS, raw, _solution(organisation), key=None).status_code == 201
    assert SolutionProfile.objects.filter(organisation=organisation).count() == 2
    assert not IdempotencyKey.objects.exists()


def test_keys_older_than_a_day_are_purged_and_may_be_used_again(client):
    """After 24 hours a key is forgotten: the purge removes it, and reusing it runs afresh."""
    _user, organisation, raw = member_with_token()
    _post(client, SOLUTIONS, raw, _solution(organisation))
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    fresh = _post(client, SOLUTIONS, raw, _solution(organisation, title="翌日の登録"))
    assert fresh.status_code == 201
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert submissions_purge() == 1
    assert not IdempotencyKey.objects.exists()


def test_schema_documents_the_header_on_writes_only(client):
    """Every member write names the optional header and its 409 and 422; reads do not."""
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            write = path.startswith("/api/v1/member/") and method in {"post", "patch", "put"}
            assert ("Idempotency-Key" in names) is write, (method, path)
            if write:
                assert {"409", "422"} <= set(operation["responses"]), (method, path)
