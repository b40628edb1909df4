from django.urls import reverse

import pytest

from forum.models import Field
from forum.services.solutions import solution_create
from matching.models import SuggestionFeedback
from tests.forum.helpers import Client
from tests.forum.proposal_fixtures import published_challenge

pytestmark = pytest.mark.django_db


def _vote(client, world, *, useful: str, solution=None, next_url=None, **extra):
    return client.post(
        reverse("matching:feedback"),
        {
            "challenge": world["challenge"].pk,
            "solution": (solution or world["fitting"]).pk,
            "useful": useful,
            "next": next_url
            or reverse("matching:challenge_suggestions", args=[world["challenge"].pk]),
            **extra,
        },
    )


def test_reviewer_marks_a_suggestion_and_changes_the_vote(client, pairing_world):
    """One vote per person and pair: the second click changes it, and the page shows it pressed."""
    client.force_login(pairing_world["sakai"])
    page = reverse("matching:challenge_suggestions", args=[pairing_world["challenge"].pk])
    body = client.get(page).content.decode()
    assert "役に立つ" in body and "役に立たない" in body and 'name="csrfmiddlewaretoken"' in body
    response = _vote(client, pairing_world, useful="1")
    assert response.status_code == 302
    assert response["Location"] == (
        f"{page}#pair-{pairing_world['challenge'].pk}-{pairing_world['fitting'].pk}"
    )
    _vote(client, pairing_world, useful="0")
    vote = SuggestionFeedback.objects.get()
    assert (vote.user, vote.useful) == (pairing_world["sakai"], False)
    body = client.get(page).content.decode()
    assert 'value="0" class="btn btn-sm btn-secondary" aria-pressed="true"' in body


def test_member_votes_on_the_pair_named_on_their_page(client, pairing_world):
    """The member page names the member's own solution, and the vote is stored for that pair."""
    client.force_login(pairing_world["member"])
    body = client.get(reverse("matching:member_suggestions")).content.decode()
    assert "あなたのソリューション「水位センサーで見守り」との組み合わせ" in body
    _vote(client, pairing_world, useful="1", next_url=reverse("matching:member_suggestions"))
    assert SuggestionFeedback.objects.filter(
        user=pairing_world["member"], solution=pairing_world["fitting"], useful=True
    ).exists()


def test_votes_on_pairs_a_person_is_not_shown_are_refused(client, pairing_world):
    """Other municipalities, other companies and drafts cannot be rated: 404 and nothing stored."""
    client.force_login(pairing_world["suita"])
    assert _vote(client, pairing_world, useful="1").status_code == 404
    client.force_login(pairing_world["other_member"])
    assert _vote(client, pairing_world, useful="1").status_code == 404
    draft = solution_create(
        actor=pairing_world["member"],
        organisation=pairing_world["organisation"],
        title="下書き",
        summary="未公開",
        fields=[Field.objects.get(slug="safety")],
    )
    client.force_login(pairing_world["sakai"])
    assert _vote(client, pairing_world, useful="1", solution=draft).status_code == 404
    unpublished = published_challenge(title="非公開", is_published=False)
    response = client.post(
        reverse("matching:feedback"),
        {"challenge": unpublished.pk, "solution": pairing_world["fitting"].pk, "useful": "1"},
    )
    assert response.status_code == 404
    assert not SuggestionFeedback.objects.exists()


def test_a_vote_keeps_the_kinds_of_reason_the_page_showed(client, pairing_world):
    """The page sends each shown reason's kind with the vote; unknown kinds are dropped."""
    client.force_login(pairing_world["sakai"])
    page = reverse("matching:challenge_suggestions", args=[pairing_world["challenge"].pk])
    body = client.get(page).content.decode()
    assert '<input type="hidden" name="reason" value="' in body
    _vote(client, pairing_world, useful="0", reason=["text", "same_field", "invented", "text"])
    vote = SuggestionFeedback.objects.get()
    assert (vote.useful, vote.reasons) == (False, ["text", "same_field"])
    _vote(client, pairing_world, useful="1")
    vote.refresh_from_db()
    assert (vote.useful, vote.reasons) == (True, [])


def test_malformed_vote_and_foreign_next_are_handled_gently(client, pairing_world):
    """A broken form says so and returns; a next URL off the site is replaced by the member page."""
    client.force_login(pairing_world["sakai"])
    response = _vote(client, pairing_world, useful="maybe", next_url="https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == reverse("matching:member_suggestions")
    assert not SuggestionFeedback.objects.exists()


def test_voting_needs_csrf_and_sign_in(pairing_world):
    """Without the CSRF token the vote is refused; a visitor is sent to sign in."""
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(pairing_world["sakai"])
    assert _vote(strict, pairing_world, useful="1").status_code == 403
    visitor = Client()
    response = _vote(visitor, pairing_world, useful="1")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert visitor.get(reverse("matching:feedback")).status_code in (302, 405)
    assert not SuggestionFeedback.objects.exists()


def test_board_is_for_the_secretariat_only(client, pairing_world):
    """Visitors sign in; members and municipality staff are refused; the secretariat sees it."""
    url = reverse("matching:board")
    assert "/accounts/login/" in client.get(url)["Location"]
    for who in ("member", "sakai"):
        client.force_login(pairing_world[who])
        assert client.get(url).status_code == 403
    client.force_login(pairing_world["secretariat"])
    assert client.get(url).status_code == 200


def test_board_rows_show_score_reasons_feedback_and_links(client, pairing_world):
    """Each row names both sides with links, the score, the reasons and the vote counts."""
    client.force_login(pairing_world["sakai"])
    _vote(client, pairing_world, useful="1")
    client.force_login(pairing_world["member"])
    _vote(client, pairing_world, useful="0")
    client.force_login(pairing_world["secretariat"])
    response = client.get(reverse("matching:board"))
    row = next(r for r in response.context["page_obj"] if r.solution == pairing_world["fitting"])
    assert (row.useful, row.not_useful) == (1, 1)
    body = response.content.decode()
    assert "同じ分野: 防災・防犯" in body and "共通の技術: センサー" in body
    assert f'href="{pairing_world["challenge"].url}"' in body
    assert reverse("directory:solution", args=[pairing_world["fitting"].pk]) in body
    assert reverse("matching:challenge_suggestions", args=[pairing_world["challenge"].pk]) in body
    assert "役に立つ 1" in body and "役に立たない 1" in body
    assert f"{row.suggestion.score:.1f}" in body


def test_board_is_paginated(client, pairing_world):
    """More pairs than fit on a page are spread over pages with navigation."""
    from search.services import index_rebuild

    for number in range(10):
        published_challenge(
            title=f"ため池の水位を見守りたい{number}", summary="ため池の水位を知りたい"
        )
    index_rebuild()
    client.force_login(pairing_world["secretariat"])
    first = client.get(reverse("matching:board"))
    page_obj = first.context["page_obj"]
    assert page_obj.paginator.count == 22 and len(page_obj.object_list) == 20
    assert "page=2" in first.content.decode()
    second = client.get(reverse("matching:board"), {"page": 2})
    assert len(second.context["page_obj"].object_list) == 2


def test_empty_board_says_what_will_appear(client, db):
    """With nothing to pair, the board explains when rows will show."""
    from tests.forum.helpers import secretariat_user

    client.force_login(secretariat_user())
    assert (
        "いまは表示できる組み合わせがありません"
        in client.get(reverse("matching:board")).content.decode()
    )


def test_member_page_without_suggestions_says_why(client, db):
    """A member with a published solution but no fitting open challenge is pointed to interests,
    not told to publish a solution; a member without one is told to publish first."""
    from forum.services.solutions import solution_set_published
    from tests.forum.helpers import company_member

    member, organisation = company_member()
    solution = solution_create(
        actor=member,
        organisation=organisation,
        title="水位センサーで見守り",
        summary="ため池や河川の水位を見守る",
        fields=[Field.objects.get(slug="safety")],
    )
    client.force_login(member)
    page = reverse("matching:member_suggestions")
    body = client.get(page).content.decode()
    assert "ソリューションを公開すると" in body
    assert "いま合いそうな募集中の課題はありません" not in body

    solution_set_published(actor=member, solution=solution, published=True)
    body = client.get(page).content.decode()
    assert "いま合いそうな募集中の課題はありません" in body
    assert reverse("interests:create") in body
    assert "ソリューションを公開すると" not in body
