"""One counterpart cannot fill a list of suggestions (matching/spread.py), on the board and on a
member's page, and a member can look at one solution's suggestions."""

import pytest

from forum.models import Field, Technology
from forum.services.solutions import solution_create, solution_set_published
from matching.pairings import pairing_board, rows_for_member
from matching.spread import spread_by
from search.services import index_rebuild
from tests.matching.helpers import publish_challenge


def test_rounds_give_every_group_its_turn_and_keep_the_order_within_a_group():
    items = ["a1", "a2", "a3", "a4", "b1", "a5", "c1", "b2"]
    assert spread_by(items, lambda item: item[0], per_group=2) == [
        "a1", "a2", "b1", "c1", "b2", "a3", "a4", "a5",
    ]  # fmt: skip
    assert spread_by(items, lambda item: item[0], per_group=10) == items
    assert spread_by([], lambda item: item, per_group=1) == []


@pytest.fixture
def water_world(pairing_world):
    """Four more open water challenges: the sensor solution fits them all."""
    for number, title in enumerate(
        [
            "河川の水位を見守りたい",
            "水位センサーを置きたい",
            "ため池を点検したい",
            "水路の水位を知りたい",
        ]
    ):
        publish_challenge(
            title=title, summary="大雨のときの水位", field="safety", page_id=810_000 + number
        )
    index_rebuild()
    return pairing_world


@pytest.mark.django_db
def test_one_solution_does_not_fill_the_board(water_world):
    """Ranked by score the sensor solution would take the top five places; with one place per
    solution per round, the other solution's best pairing comes second."""
    by_score = list(pairing_board(per_solution=100).object_list)
    assert [row.solution for row in by_score[:5]] == [water_world["fitting"]] * 5
    spread = list(pairing_board(per_solution=1).object_list)
    assert [row.solution for row in spread[:2]] == [
        water_world["fitting"],
        water_world["unrelated"],
    ]
    assert sorted(r.suggestion.score for r in spread) == sorted(
        r.suggestion.score for r in by_score
    )


@pytest.mark.django_db
def test_a_member_sees_one_solutions_suggestions_and_never_another_organisations(
    client, water_world
):
    member = water_world["member"]
    extra = solution_create(
        actor=member,
        organisation=water_world["organisation"],
        title="観光客の回遊を分析",
        summary="観光地の人の流れ",
        fields=[Field.objects.get(slug="industry")],
        technologies=[Technology.objects.get(slug="ai")],
    )
    solution_set_published(actor=member, solution=extra, published=True)
    publish_challenge(
        title="商店街のにぎわいを取り戻したい",
        summary="観光客にも来てほしい",
        field="health",
        page_id=820_000,
    )
    index_rebuild()
    everything = rows_for_member(member)
    assert {row.solution for row in everything} == {water_world["fitting"], extra}
    # Five water challenges go to the sensor solution (three places in the first round); the
    # tourism one, their weakest, comes fourth rather than last.
    scores = [row.suggestion.score for row in everything]
    assert scores[3] < min(scores[4:]), "by score alone the tourism pair would come last"
    assert everything[3].solution == extra
    only = rows_for_member(member, solution_id=extra.pk)
    assert only and {row.solution for row in only} == {extra}

    client.force_login(member)
    page = client.get("/member/suggestions/for-me/", {"solution": extra.pk})
    assert {row.solution for row in page.context["items"]} == {extra}
    assert page.context["chosen"] == extra
    assert 'name="solution"' in page.content.decode()
    other = client.get("/member/suggestions/for-me/", {"solution": water_world["unrelated"].pk})
    assert other.context["chosen"] is None
    assert water_world["unrelated"] not in {row.solution for row in other.context["items"]}

    detail = client.get(f"/member/solutions/{extra.pk}/").content.decode()
    assert f"/member/suggestions/for-me/?solution={extra.pk}" in detail
