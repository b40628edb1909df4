"""A member's suggestions: ranked over all their solutions, explained only where shown."""

import pytest

from matching.backends import embedded, get_matching
from matching.backends.embedded import Matcher
from matching.selectors import challenges_for_member
from search.services import index_rebuild
from tests.matching.helpers import publish_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def more_challenges(pairing_world):
    """Three more open challenges about water levels, so the member has more than one to see."""
    for number, title in enumerate(
        ["河川の水位を見守りたい", "水位センサーを置きたい", "ため池を点検したい"]
    ):
        publish_challenge(
            title=title, summary="大雨のときの水位", field="safety", page_id=800_000 + number
        )
    index_rebuild()
    embedded._cache.clear()
    return pairing_world


def _pairs(suggestions):
    return [
        (s.doc_id, s.score, [(r.clause, r.score, r.detail) for r in s.reasons], s.phrases)
        for s in suggestions
    ]


def test_ranked_without_reasons_then_explained_equals_explained_at_once(more_challenges):
    """Reasons added afterwards are the reasons a full suggestion carries, with the same scores."""
    source = f"solution:{more_challenges['fitting'].pk}"
    suggester = get_matching().suggester()
    at_once = suggester.suggest(source, limit=10)
    ranked = suggester.suggest(source, limit=10, explain=False)
    assert [s.doc_id for s in ranked] == [s.doc_id for s in at_once]
    assert all(not s.reasons for s in ranked)
    assert _pairs(suggester.explain(source, ranked[1:3])) == _pairs(at_once[1:3])


def test_the_member_page_explains_only_the_suggestions_it_shows(more_challenges, monkeypatch):
    """With room for two, reasons are worked out for two challenges, not for every candidate."""
    explained = []
    original = Matcher._explain

    def counting(self, side, query, position, clauses, total):
        explained.append(side.ids[position])
        return original(self, side, query, position, clauses, total)

    monkeypatch.setattr(Matcher, "_explain", counting)
    items = challenges_for_member(more_challenges["member"], limit=2)
    assert len(items) == 2
    assert sorted(explained) == sorted(item.suggestion.doc_id for item in items)
    assert all(item.suggestion.reasons for item in items)
    everything = challenges_for_member(more_challenges["member"], limit=10)
    assert [i.suggestion.doc_id for i in everything[:2]] == [i.suggestion.doc_id for i in items]
    assert _pairs(i.suggestion for i in everything[:2]) == _pairs(i.suggestion for i in items)
