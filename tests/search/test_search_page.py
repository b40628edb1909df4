import pytest

from search.services import index_rebuild
from tests.forum.proposal_fixtures import published_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed():
    """Two published challenges, one draft, and a solution, in the index."""
    from forum.models import Field
    from forum.services.solutions import solution_create, solution_set_published
    from tests.forum.helpers import company_member

    published_challenge(title="ドローンで橋を点検したい", summary="橋の点検を安全に")
    published_challenge(title="高齢者の見守り", summary="一人暮らしの安否確認")
    published_challenge(title="下書きのドローン課題", summary="公開前", is_published=False)
    user, organisation = company_member()
    solution = solution_create(
        actor=user,
        organisation=organisation,
        title="UAV bridge inspection",
        summary="Drones inspect bridges",
        fields=[Field.objects.get(slug="safety")],
    )
    solution_set_published(actor=user, solution=solution, published=True)
    index_rebuild()


def _results(response):
    return [item["entry"].title for item in response.context["page_obj"].object_list]


def test_japanese_query_finds_challenge_and_english_solution(client, indexed):
    """ドローン finds the Japanese challenge and, through synonyms, the English drone solution."""
    response = client.get("/search/", {"q": "ドローン"})
    titles = _results(response)
    assert "ドローンで橋を点検したい" in titles
    assert "UAV bridge inspection" in titles
    assert "下書きのドローン課題" not in titles
    assert "<mark>ドローン</mark>" in response.content.decode()


def test_type_facet_filters_and_counts(client, indexed):
    """The type facet counts both kinds and narrows the list."""
    response = client.get("/search/", {"q": "ドローン", "type": "solution"})
    assert _results(response) == ["UAV bridge inspection"]
    assert response.context["facets"]["type"] == {"challenge": 1, "solution": 1}


def test_full_width_query_matches(client, indexed):
    """Full-width input is folded before searching."""
    assert "高齢者の見守り" in _results(client.get("/search/", {"q": "高齢者　見守り"}))


@pytest.mark.parametrize(
    "query",
    ["", "!!!@@@", "a" * 5000, "title:(ドローン OR 橋) AND -x~2", "<script>alert(1)</script>"],
)
def test_odd_queries_never_error(client, indexed, query):
    """Empty, symbol-only, huge and syntax-laden queries give results or a helpful empty state."""
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    if query.startswith("!!!"):
        assert "一致する結果は見つかりませんでした" in body
    if len(query) > 200:
        assert "先頭の200文字で検索しました" in body
