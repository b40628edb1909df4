import re
import xml.etree.ElementTree as ET
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from cms.models import ChallengePage
from cms.services import challenge_pages_close_expired
from forum.models import Challenge, Department
from tests.cms.factories import challenge_page, municipality_place
from tests.factories import CatalogDatasetFactory

pytestmark = pytest.mark.django_db

SAKAI, SUITA, YAO = "271403", "272051", "272124"


@pytest.fixture
def challenges(site):
    """Four published challenges and one draft across three municipalities."""
    return {
        "flood": challenge_page(
            SAKAI, title="浸水の予兆を知りたい", field="safety", technologies=("sensor", "iot")
        ),
        "drone": challenge_page(
            SUITA, title="ドローンで橋を点検したい", field="infrastructure", technologies=("drone",)
        ),
        "elderly": challenge_page(
            SUITA,
            title="高齢者の見守りを続けたい",
            field="health",
            technologies=("sensor",),
            stage="implementation",
        ),
        "school": challenge_page(
            YAO, title="通学路の危険を減らしたい", field="safety", deadline_days=5
        ),
        "draft": challenge_page(YAO, title="まだ下書きの課題", field="safety", publish=False),
    }


def _titles(response) -> list[str]:
    return [c.title for c in response.context["page_obj"].object_list]


def _facet(response, name: str) -> dict[str, int]:
    return {o["value"]: o["count"] for o in response.context["facets"][name]}


def test_list_shows_published_only(client, challenges):
    """Drafts never appear in the public list."""
    response = client.get("/challenges/")
    assert response.status_code == 200
    assert set(_titles(response)) == {
        "浸水の予兆を知りたい",
        "ドローンで橋を点検したい",
        "高齢者の見守りを続けたい",
        "通学路の危険を減らしたい",
    }
    assert "まだ下書きの課題" not in response.content.decode()


def test_filters_combine_and_facets_count_with_other_filters(client, challenges):
    """Field + technology filters narrow the list; each facet counts with the other filters applied."""
    response = client.get("/challenges/?field=safety&technology=sensor")
    assert _titles(response) == ["浸水の予兆を知りたい"]
    assert _facet(response, "field")["safety"] == 1
    assert _facet(response, "field")["health"] == 1
    assert _facet(response, "technology") == {"sensor": 1, "iot": 1}

    response = client.get(f"/challenges/?municipality={SUITA}")
    assert set(_titles(response)) == {"ドローンで橋を点検したい", "高齢者の見守りを続けたい"}
    assert _facet(response, "municipality") == {SAKAI: 1, SUITA: 2, YAO: 1}
    response = client.get("/challenges/?stage=implementation")
    assert _titles(response) == ["高齢者の見守りを続けたい"]


def test_empty_result_keeps_the_chosen_values_and_every_control(client, challenges):
    """A combination nobody matches still shows each chosen value selected (counted 0) and the
    same filter controls as before, so pressing 絞り込む again keeps the filters."""
    sakai, _ = municipality_place(SAKAI)
    crisis = Department.objects.create(organisation=sakai, name="危機管理室", slug="sakai-crisis")
    Challenge.objects.filter(page_id=challenges["flood"].pk).update(department=crisis)
    before = client.get("/challenges/").content.decode()
    response = client.get(
        "/challenges/",
        {
            "field": "health",
            "municipality": "271004",
            "technology": "drone",
            "department": crisis.slug,
        },
    )
    body = response.content.decode()
    assert response.context["page_obj"].paginator.count == 0
    assert '<option value="271004" selected>大阪市（0）</option>' in body
    assert '<option value="drone" selected>ドローン（0）</option>' in body
    assert '<option value="sakai-crisis" selected>堺市 危機管理室（0）</option>' in body
    assert '<option value="health" selected>' in body
    controls = re.compile(r'<select[^>]* name="(\w+)"')
    assert controls.findall(body) == controls.findall(before)


def test_department_filter_reads_in_english(client, challenges):
    """On the English site the owning-department filter names the municipality in English, as
    /departments/ does ("Sakai City Crisis Management"), not "堺市 Crisis Management"."""
    sakai, _ = municipality_place(SAKAI)
    crisis = Department.objects.create(
        organisation=sakai, name="危機管理室", name_en="Crisis Management", slug="sakai-crisis"
    )
    Challenge.objects.filter(page_id=challenges["flood"].pk).update(department=crisis)
    client.post("/i18n/setlang/", {"language": "en", "next": "/challenges/"})
    body = client.get("/challenges/").content.decode()
    assert '<option value="sakai-crisis">Sakai City Crisis Management (1)</option>' in body
    assert "堺市 Crisis" not in body


def test_sort_by_deadline_puts_nearest_first(client, challenges):
    """Sorting by deadline lists the soonest deadline first."""
    response = client.get("/challenges/?sort=deadline")
    assert _titles(response)[0] == "通学路の危険を減らしたい"


def test_unknown_filter_values_are_ignored(client, challenges):
    """Tampered filter values fall back to the unfiltered list instead of erroring."""
    response = client.get("/challenges/?field=nope&municipality=999999&sort=%27;drop&page=abc")
    assert response.status_code == 200
    assert len(_titles(response)) == 4


def test_empty_result_shows_help(client, challenges):
    """A filter combination with no results explains what to try."""
    response = client.get("/challenges/?field=mobility")
    assert response.status_code == 200
    assert "条件に合う課題は見つかりませんでした" in response.content.decode()


def test_filter_state_is_kept_in_pagination_links(client, site):
    """Page links keep the filters so any state can be shared as a URL."""
    for number in range(14):
        challenge_page(SAKAI, title=f"防災の課題{number}", field="safety")
    response = client.get("/challenges/?field=safety&sort=deadline")
    body = response.content.decode()
    assert response.context["page_obj"].paginator.num_pages == 2
    assert "?field=safety&amp;sort=deadline&amp;page=2" in body


def test_municipality_index_lists_only_its_challenges(client, challenges):
    """A municipality's own page lists only its challenges."""
    response = client.get(f"/challenges/{SUITA}/")
    assert set(_titles(response)) == {"ドローンで橋を点検したい", "高齢者の見守りを続けたい"}


def test_list_query_count_does_not_grow_with_challenges(client, site):
    """The list renders with the same number of SQL queries for 3 or 12 challenges."""

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/challenges/").status_code == 200
        return len(queries)

    for number in range(3):
        challenge_page(SAKAI, title=f"少ない{number}", technologies=("drone", "ai"))
    few = count()
    for number in range(9):
        challenge_page(
            SUITA, title=f"多い{number}", technologies=("sensor", "iot", "cloud"), field="health"
        )
    many = count()
    assert few == many


def test_detail_shows_what_a_company_needs(client, challenges):
    """The detail page shows the deadline, stage, technologies and related challenges."""
    page = challenges["flood"]
    response = client.get(page.url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "募集締切" in body and "実証実験" in body and "センサー" in body
    assert "通学路の危険を減らしたい" in body  # related: same field, open


def test_closed_after_deadline_is_marked(client, site):
    """A challenge past its deadline is closed by the periodic task and marked on its page."""
    page = challenge_page(SAKAI, title="締切を過ぎる課題", deadline_days=1)
    Challenge.objects.filter(page_id=page.pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    ChallengePage.objects.filter(pk=page.pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    assert challenge_pages_close_expired() == 1
    record = Challenge.objects.get(page_id=page.pk)
    assert record.status == Challenge.Status.CLOSED
    body = client.get(page.url).content.decode()
    assert "この課題の募集は終了しました" in body
    assert _titles(client.get("/challenges/?status=open")) == []


def test_unpublishing_withdraws_the_record(client, challenges):
    """Unpublishing a challenge takes it off the list and the public record."""
    challenges["drone"].unpublish()
    assert not Challenge.objects.get(page_id=challenges["drone"].pk).is_published
    assert "ドローンで橋を点検したい" not in client.get("/challenges/").content.decode()


@pytest.mark.parametrize(
    "path", ["/feeds/challenges/rss/", "/feeds/challenges/atom/", "/feeds/challenges/safety/rss/"]
)
def test_feeds_are_valid_xml_with_published_challenges_only(client, challenges, path):
    """Feeds parse as XML and list published challenges only (per field where asked)."""
    response = client.get(path)
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    text = ET.tostring(root, encoding="unicode")
    assert "浸水の予兆を知りたい" in text
    assert "まだ下書きの課題" not in text
    if "safety" in path:
        assert "ドローンで橋を点検したい" not in text
    else:
        assert "ドローンで橋を点検したい" in text


def test_feed_for_unknown_field_is_404(client, site):
    """A tampered field in the feed URL is a 404."""
    assert client.get("/feeds/challenges/nope/rss/").status_code == 404


def test_detail_offers_each_visitor_their_next_step(client, challenges):
    """A company sees 'propose' until it has a live proposal, then a link to that proposal; the
    challenge's municipality staff get the received proposals instead of a propose button."""
    from forum.services.proposals import proposal_create
    from tests.cms.factories import staff_of
    from tests.forum.helpers import company_member

    page = challenges["flood"]
    record = Challenge.objects.get(page_id=page.pk)
    member, organisation = company_member()
    client.force_login(member)
    body = client.get(page.url).content.decode()
    assert f"/member/challenges/{record.pk}/propose/" in body

    proposal = proposal_create(
        actor=member, challenge=record, organisation=organisation, title="水位の提案", summary="s"
    )
    body = client.get(page.url).content.decode()
    assert f"/member/proposals/{proposal.pk}/" in body
    assert f"/member/challenges/{record.pk}/propose/" not in body

    client.force_login(staff_of(SAKAI))
    body = client.get(page.url).content.decode()
    assert f"/member/review/challenges/{record.pk}/" in body
    assert f"/member/challenges/{record.pk}/propose/" not in body


def test_list_headings_follow_the_chosen_language(client, challenges):
    """In Japanese the lists carry the editors' page titles; after switching to English the top
    list and a municipality's list are headed in English, not with the Japanese titles."""
    municipality_list = challenges["flood"].get_parent()
    top = client.get("/challenges/").content.decode()
    assert f'<h1 class="h3">{municipality_list.get_parent().title}</h1>' in top

    client.post("/i18n/setlang/", {"language": "en", "next": "/challenges/"})
    assert '<h1 class="h3">Challenges</h1>' in client.get("/challenges/").content.decode()
    own = client.get(municipality_list.url).content.decode()
    assert '<h1 class="h3">Challenges of Sakai City</h1>' in own


def test_list_filters_and_counts_by_theme_and_dataset(client, challenges):
    """?theme= and ?dataset= narrow the public list; the facets count each with the other
    filters applied, and a retired dataset is no filter at all."""
    from forum.models import CatalogDataset, StrategyTheme, ThemeTagging

    record = {
        key: Challenge.objects.get(page_id=page.pk)
        for key, page in challenges.items()
        if key != "draft"
    }
    city = StrategyTheme.objects.create(slug="super-city", name_ja="スーパーシティ")
    ThemeTagging.objects.create(theme=city, challenge=record["flood"])
    ThemeTagging.objects.create(theme=city, challenge=record["drone"])
    orden = CatalogDatasetFactory()
    orden.challenges.add(record["drone"], record["elderly"])
    response = client.get("/challenges/", {"theme": "super-city"})
    assert sorted(_titles(response)) == ["ドローンで橋を点検したい", "浸水の予兆を知りたい"]
    assert _facet(response, "dataset") == {"orden": 1}
    response = client.get("/challenges/", {"dataset": "orden"})
    assert sorted(_titles(response)) == ["ドローンで橋を点検したい", "高齢者の見守りを続けたい"]
    assert _facet(response, "theme")["super-city"] == 1
    assert 'name="dataset"' in response.content.decode()
    response = client.get("/challenges/", {"dataset": "orden", "theme": "super-city"})
    assert _titles(response) == ["ドローンで橋を点検したい"]
    CatalogDataset.objects.filter(pk=orden.pk).update(is_active=False)
    assert len(_titles(client.get("/challenges/", {"dataset": "orden"}))) == 4


def test_filter_panel_says_how_many_filters_are_in_use(client, challenges):
    """The filter panel's summary counts the filters in use (a municipality's own list does not
    count its municipality), in both languages."""
    query = {"field": "safety", "status": "open"}
    assert "2件の条件を適用中" in client.get("/challenges/", query).content.decode()
    own = client.get(f"/challenges/{SUITA}/", {"field": "health"}).content.decode()
    assert "1件の条件を適用中" in own
    client.post("/i18n/setlang/", {"language": "en", "next": "/challenges/"})
    assert "2 filters in use" in client.get("/challenges/", query).content.decode()
