"""Members' solutions and proposals through a token: own data only, the web's rules."""

from datetime import timedelta

from django.utils import timezone

import pytest

from forum.models import AuditEvent, Challenge, Membership, Proposal, ProposalEvent, SolutionProfile
from forum.services.proposals import proposal_create, proposal_transition
from tests.forum.api.helpers import bearer, member_with_token, solution_of, token_for
from tests.forum.helpers import municipality_staff, secretariat_user
from tests.forum.proposal_fixtures import municipality_staff_for, published_challenge

pytestmark = pytest.mark.django_db


def _json(client, method: str, path: str, raw: str, body=None):
    return getattr(client, method)(
        path, body if body is not None else {}, content_type="application/json", **bearer(raw)
    )


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    return response.json()["error"]


def test_token_lists_only_its_own_organisations_solutions(client):
    """Drafts included for the owner; another organisation's solutions are 404."""
    user, organisation, raw = member_with_token()
    mine = solution_of(user, organisation, title="自社の下書き", published=False)
    other_user, other_org, _other_raw = member_with_token()
    theirs = solution_of(other_user, other_org, title="他社の製品", published=True)
    response = client.get("/api/v1/member/solutions/", **bearer(raw))
    assert [item["id"] for item in response.json()["results"]] == [mine.pk]
    assert response.json()["results"][0]["is_published"] is False
    _error(client.get(f"/api/v1/member/solutions/{theirs.pk}/", **bearer(raw)), 404)
    _error(
        _json(
            client, "patch", f"/api/v1/member/solutions/{theirs.pk}/", raw, {"title": "乗っ取り"}
        ),
        404,
    )
    theirs.refresh_from_db()
    assert theirs.title == "他社の製品"


def test_solution_written_through_the_api_follows_the_service(client):
    """Create as draft (audited), publish needs a field, then it is open data."""
    user, organisation, raw = member_with_token()
    response = _json(
        client,
        "post",
        "/api/v1/member/solutions/",
        raw,
        {"organisation": organisation.pk, "title": "冠水センサー", "summary": "道路の冠水を検知"},
    )
    assert response.status_code == 201, response.content
    solution_id = response.json()["id"]
    assert response.json()["is_published"] is False
    assert AuditEvent.objects.filter(verb="solution.created", target_id=solution_id).exists()
    error = _error(
        _json(client, "post", f"/api/v1/member/solutions/{solution_id}/publish/", raw), 409
    )
    assert "分野を1つ以上" in error["message"]
    assert client.get(f"/api/v1/solutions/{solution_id}/").status_code == 404
    patched = _json(
        client,
        "patch",
        f"/api/v1/member/solutions/{solution_id}/",
        raw,
        {
            "fields": ["safety"],
            "technologies": ["sensor"],
            "track_record_municipalities": ["271403"],
        },
    )
    assert patched.status_code == 200, patched.content
    assert [f["slug"] for f in patched.json()["fields"]] == ["safety"]
    assert patched.json()["title"] == "冠水センサー"
    published = _json(client, "post", f"/api/v1/member/solutions/{solution_id}/publish/", raw)
    assert published.json()["is_published"] is True
    assert client.get(f"/api/v1/solutions/{solution_id}/").status_code == 200
    _json(client, "post", f"/api/v1/member/solutions/{solution_id}/unpublish/", raw)
    assert client.get(f"/api/v1/solutions/{solution_id}/").status_code == 404


def test_solution_for_an_organisation_not_ones_own_is_refused(client):
    """The organisation id must be one the token's owner acts for; nothing is created."""
    _user, _organisation, raw = member_with_token()
    _other_user, other_org, _ = member_with_token()
    error = _error(
        _json(
            client,
            "post",
            "/api/v1/member/solutions/",
            raw,
            {"organisation": other_org.pk, "title": "t", "summary": "s"},
        ),
        400,
    )
    assert "organisation" in error["details"]
    assert not SolutionProfile.objects.filter(organisation=other_org).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "t", "summary": "s", "colour": "red"}, "colour"),
        ({"title": "t", "summary": "s", "id": 5}, "id"),
        ({"title": "", "summary": "s"}, "title"),
        ({"title": "   ", "summary": "s"}, "title"),
        ({"title": "t" * 201, "summary": "s"}, "title"),
        ({"title": 12, "summary": "s"}, "title"),
        ({"title": "t", "summary": "s", "fields": "safety"}, "fields"),
        ({"title": "t", "summary": "s", "fields": ["safety", "safety"]}, "fields"),
        ({"title": "t", "summary": "s", "fields": ["nowhere"]}, "fields"),
        ({"title": "t", "summary": "s", "stage": "someday"}, "stage"),
        ({"summary": "s"}, "title"),
    ],
)
def test_malformed_solution_bodies_get_400_and_nothing_is_saved(client, body, field):
    """Unknown fields, wrong types and values are refused with the field named."""
    _user, organisation, raw = member_with_token()
    response = _json(
        client, "post", "/api/v1/member/solutions/", raw, {"organisation": organisation.pk, **body}
    )
    error = _error(response, 400)
    assert field in error["details"]
    assert not SolutionProfile.objects.filter(organisation=organisation).exists()


def test_bodies_that_are_not_json_objects_are_refused(client):
    """Broken JSON, a list instead of an object and form encoding all get a JSON 4xx."""
    _user, organisation, raw = member_with_token()
    broken = client.post(
        "/api/v1/member/solutions/", "{", content_type="application/json", **bearer(raw)
    )
    assert _error(broken, 400)["code"] == "parse_error"
    listed = _json(client, "post", "/api/v1/member/solutions/", raw, [1, 2])
    _error(listed, 400)
    form = client.post("/api/v1/member/solutions/", {"title": "t"}, **bearer(raw))
    _error(form, 415)


def test_proposal_written_through_the_api_keeps_one_live_per_challenge(client):
    """Draft, edit, submit; a second live proposal and edits after submission are 409."""
    user, organisation, raw = member_with_token()
    challenge = published_challenge()
    municipality_staff_for("271403")
    body = {
        "challenge": challenge.pk,
        "organisation": organisation.pk,
        "title": "水位の見える化",
        "summary": "センサーを置きます。",
    }
    created = _json(client, "post", "/api/v1/member/proposals/", raw, body)
    assert created.status_code == 201, created.content
    proposal_id = created.json()["id"]
    assert created.json()["status"]["code"] == "draft" and created.json()["is_editable"]
    error = _error(_json(client, "post", "/api/v1/member/proposals/", raw, body), 409)
    assert "すでにこの団体の提案" in error["message"]
    edited = _json(
        client, "patch", f"/api/v1/member/proposals/{proposal_id}/", raw, {"cost_estimate": 1200}
    )
    assert edited.json()["cost_estimate"] == 1200
    submitted = _json(client, "post", f"/api/v1/member/proposals/{proposal_id}/submit/", raw)
    assert submitted.json()["status"]["code"] == "submitted"
    assert [h["to_status"]["code"] for h in submitted.json()["history"]] == ["draft", "submitted"]
    error = _error(
        _json(client, "patch", f"/api/v1/member/proposals/{proposal_id}/", raw, {"title": "変更"}),
        409,
    )
    assert "提出済み" in error["message"]
    assert Proposal.objects.get(pk=proposal_id).title == "水位の見える化"
    withdrawn = _json(
        client,
        "post",
        f"/api/v1/member/proposals/{proposal_id}/withdraw/",
        raw,
        {"note": "体制の都合"},
    )
    assert withdrawn.json()["status"]["code"] == "withdrawn"
    assert ProposalEvent.objects.filter(proposal_id=proposal_id, note="体制の都合").exists()
    again = _json(client, "post", "/api/v1/member/proposals/", raw, body)
    assert again.status_code == 201


def test_closed_or_expired_challenges_refuse_proposals_through_the_api(client):
    """The service's rule holds: no new proposal and no submission once the call has ended."""
    user, organisation, raw = member_with_token()
    closed = published_challenge(status=Challenge.Status.CLOSED)
    error = _error(
        _json(
            client,
            "post",
            "/api/v1/member/proposals/",
            raw,
            {"challenge": closed.pk, "organisation": organisation.pk, "title": "t", "summary": "s"},
        ),
        409,
    )
    assert "募集は終了" in error["message"]
    open_challenge = published_challenge(code="272051")
    proposal = proposal_create(
        actor=user, challenge=open_challenge, organisation=organisation, title="t", summary="s"
    )
    Challenge.objects.filter(pk=open_challenge.pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    error = _error(
        _json(client, "post", f"/api/v1/member/proposals/{proposal.pk}/submit/", raw), 409
    )
    assert "募集締切" in error["message"]
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.DRAFT


def test_proposal_with_another_organisations_solution_is_refused(client):
    """The solution named must belong to the proposing organisation."""
    _user, organisation, raw = member_with_token()
    other_user, other_org, _ = member_with_token()
    foreign = solution_of(other_user, other_org, title="他社の製品", published=True)
    challenge = published_challenge()
    error = _error(
        _json(
            client,
            "post",
            "/api/v1/member/proposals/",
            raw,
            {
                "challenge": challenge.pk,
                "organisation": organisation.pk,
                "title": "t",
                "summary": "s",
                "solution": foreign.pk,
            },
        ),
        400,
    )
    assert "solution" in error["details"]
    assert not Proposal.objects.exists()


def test_token_sees_only_its_organisations_proposals(client):
    """Another organisation's proposal is invisible: absent from the list, 404 on every action."""
    user, organisation, raw = member_with_token()
    other_user, other_org, _ = member_with_token()
    challenge = published_challenge()
    mine = proposal_create(
        actor=user, challenge=challenge, organisation=organisation, title="自社", summary="s"
    )
    theirs = proposal_create(
        actor=other_user, challenge=challenge, organisation=other_org, title="他社", summary="s"
    )
    listed = client.get("/api/v1/member/proposals/", **bearer(raw)).json()["results"]
    assert [item["id"] for item in listed] == [mine.pk]
    for method, suffix in (("get", ""), ("patch", ""), ("post", "submit/"), ("post", "withdraw/")):
        response = _json(client, method, f"/api/v1/member/proposals/{theirs.pk}/{suffix}", raw)
        _error(response, 404)
    assert Proposal.objects.get(pk=theirs.pk).status == Proposal.Status.DRAFT


def test_staff_tokens_never_carry_reviewing_powers(client):
    """Municipality staff and the secretariat see no proposals through a token, even received ones.

    A person who is also a company member sees only that company's proposals.
    """
    proposer, organisation, proposer_raw = member_with_token()
    challenge = published_challenge()
    proposal = proposal_create(
        actor=proposer, challenge=challenge, organisation=organisation, title="提案", summary="s"
    )
    reviewer = municipality_staff_for("271403")
    proposal_transition(actor=proposer, proposal=proposal, action="submit")
    staff = secretariat_user()
    for person in (reviewer, staff):
        # Staff may hold a token only as members of a company; make each one a member of one.
        Membership.objects.create(user=person, organisation=member_with_token()[1])
        raw = token_for(person)
        listed = client.get("/api/v1/member/proposals/", **bearer(raw)).json()
        assert listed["count"] == 0
        _error(client.get(f"/api/v1/member/proposals/{proposal.pk}/", **bearer(raw)), 404)
        _error(_json(client, "post", f"/api/v1/member/proposals/{proposal.pk}/withdraw/", raw), 404)
    for action in ("accept", "decline", "review", "shortlist"):
        response = _json(
            client, "post", f"/api/v1/member/proposals/{proposal.pk}/{action}/", proposer_raw
        )
        assert response.status_code == 404
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SUBMITTED


def test_municipality_staff_alone_cannot_create_a_token(client):
    """Without a member organisation there is nothing a token could reach: creation is refused."""
    from forum.services.api_tokens import api_token_create
    from forum.services.errors import PermissionDenied

    for person in (municipality_staff(), secretariat_user()):
        with pytest.raises(PermissionDenied):
            api_token_create(actor=person, name="t")


def test_me_names_the_owner_and_the_organisations_the_token_acts_for(client):
    """Only member organisations are listed, not the person's municipality."""
    user, organisation, raw = member_with_token()
    member_of_municipality = municipality_staff()
    Membership.objects.create(
        user=user, organisation=member_of_municipality.memberships.first().organisation
    )
    me = client.get("/api/v1/member/me/", **bearer(raw)).json()
    assert [o["id"] for o in me["organisations"]] == [organisation.pk]
    assert me["email"] == user.email and me["token_name"] == "連携テスト"


def test_token_of_a_member_whose_organisation_is_not_approved_reaches_nothing(client):
    """After the organisation loses its approval, the token lists nothing and cannot write."""
    user, organisation, raw = member_with_token()
    solution_of(user, organisation, title="製品", published=False)
    organisation.status = "rejected"
    organisation.save()
    assert client.get("/api/v1/member/solutions/", **bearer(raw)).json()["count"] == 0
    response = _json(
        client,
        "post",
        "/api/v1/member/solutions/",
        raw,
        {"organisation": organisation.pk, "title": "t", "summary": "s"},
    )
    _error(response, 400)
