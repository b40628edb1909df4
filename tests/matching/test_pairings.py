import pytest

from forum.models import Challenge, Field, Technology
from forum.services.solutions import solution_create, solution_set_published
from matching.pairings import pairing_board, rows_for_challenge, rows_for_member
from search.services import index_rebuild

pytestmark = pytest.mark.django_db


def test_explanations_name_the_real_shared_field_and_technology(pairing_world):
    """The fitting solution's reasons are the field and technology both sides really have."""
    rows = rows_for_challenge(pairing_world["sakai"], pairing_world["challenge"])
    by_title = {row.solution.title: row for row in rows}
    fitting = by_title["水位センサーで見守り"]
    clauses = {r.clause: r for r in fitting.suggestion.reasons}
    challenge = pairing_world["challenge"]
    assert clauses["same_field"].detail == challenge.field.name_ja
    assert clauses["shared_technology"].detail == "センサー"
    assert "センサー" in set(challenge.technologies.values_list("name_ja", flat=True)) & set(
        fitting.solution.technologies.values_list("name_ja", flat=True)
    )
    unrelated = by_title["観光案内アプリ"]
    assert not {"same_field", "shared_technology"} & {
        r.clause for r in unrelated.suggestion.reasons
    }
    assert rows[0].solution == pairing_world["fitting"]


def test_unpublished_solution_is_never_shown_before_the_index_catches_up(pairing_world):
    """A solution unpublished a moment ago is left out although its index entry is still there."""
    fitting = pairing_world["fitting"]
    solution_set_published(actor=pairing_world["member"], solution=fitting, published=False)
    rows = rows_for_challenge(pairing_world["sakai"], pairing_world["challenge"])
    assert fitting not in [row.solution for row in rows]
    board = pairing_board()
    assert fitting not in [row.solution for row in board.object_list]


def test_closed_or_unpublished_challenges_reach_neither_members_nor_the_board(pairing_world):
    """Only open, published challenges are suggested to members or listed on the board."""
    challenge = pairing_world["challenge"]
    assert [row.challenge for row in rows_for_member(pairing_world["member"])] == [challenge]
    Challenge.objects.filter(pk=challenge.pk).update(status=Challenge.Status.CLOSED)
    assert rows_for_member(pairing_world["member"]) == []
    assert pairing_board().object_list == []
    Challenge.objects.filter(pk=challenge.pk).update(
        status=Challenge.Status.OPEN, is_published=False
    )
    assert rows_for_member(pairing_world["member"]) == []
    assert pairing_board().object_list == []


def test_member_vote_is_about_their_closest_solution(pairing_world):
    """With two own solutions, the member's row pairs the challenge with the one that fits."""
    member, organisation = pairing_world["member"], pairing_world["organisation"]
    extra = solution_create(
        actor=member,
        organisation=organisation,
        title="ため池の水位を見守る別サービス",
        summary="ため池の水位",
        fields=[Field.objects.get(slug="health")],
        technologies=[Technology.objects.get(slug="ai")],
    )
    solution_set_published(actor=member, solution=extra, published=True)
    index_rebuild()
    [row] = rows_for_member(member)
    assert row.solution == pairing_world["fitting"]


def test_board_rows_are_unproposed_pairs_best_first(pairing_world):
    """The board lists pairs by score; an organisation that proposed drops off that challenge."""
    from forum.services.proposals import proposal_create

    rows = list(pairing_board().object_list)
    scores = [row.suggestion.score for row in rows]
    assert scores == sorted(scores, reverse=True)
    assert rows[0].solution == pairing_world["fitting"]
    proposal_create(
        actor=pairing_world["member"],
        challenge=pairing_world["challenge"],
        organisation=pairing_world["organisation"],
        title="提案",
        summary="概要",
    )
    assert pairing_world["fitting"] not in [row.solution for row in pairing_board().object_list]


def test_withdrawn_challenge_has_no_suggestion_page_even_for_its_staff(client, pairing_world):
    """Once unpublished, a challenge's suggestions are gone for everyone, its own staff included."""
    from django.urls import reverse

    challenge = pairing_world["challenge"]
    Challenge.objects.filter(pk=challenge.pk).update(is_published=False)
    for who in ("sakai", "secretariat"):
        client.force_login(pairing_world[who])
        url = reverse("matching:challenge_suggestions", args=[challenge.pk])
        assert client.get(url).status_code == 404


def test_draft_solutions_are_never_suggested(pairing_world):
    """A solution that was never published is not suggested, even after a rebuild."""
    draft = solution_create(
        actor=pairing_world["member"],
        organisation=pairing_world["organisation"],
        title="ため池の水位センサー（下書き）",
        summary="ため池の水位を見守る",
        fields=[Field.objects.get(slug="safety")],
        technologies=[Technology.objects.get(slug="sensor")],
    )
    index_rebuild()
    rows = rows_for_challenge(pairing_world["secretariat"], pairing_world["challenge"])
    assert draft not in [row.solution for row in rows]
    assert draft not in [row.solution for row in pairing_board().object_list]
