from django.test import override_settings

import pytest

from forum.models import Challenge, Organisation, Technology
from search.services import index_rebuild, outbox_record, outbox_record_organisation
from tests.factories import CatalogDatasetFactory, listed_and_retired_datasets
from tests.forum.proposal_fixtures import published_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed():
    """Published challenges in Sakai (open) and Suita (closed), one draft, and a solution."""
    from forum.models import Field, Municipality
    from forum.services.solutions import solution_create, solution_set_published
    from tests.forum.helpers import company_member

    bridge = published_challenge(title="ドローンで橋を点検したい", summary="橋の点検を安全に")
    bridge.technologies.set([Technology.objects.get(slug="drone")])
    elderly = published_challenge(
        "272051",
        title="高齢者の見守り",
        summary="一人暮らしの安否確認",
        field=Field.objects.get(slug="health"),
        status=Challenge.Status.CLOSED,
    )
    published_challenge(title="下書きのドローン課題", summary="公開前", is_published=False)
    user, organisation = company_member()
    solution = solution_create(
        actor=user,
        organisation=organisation,
        title="UAV bridge inspection",
        summary="Drones inspect bridges",
        fields=[Field.objects.get(slug="safety")],
        technologies=[Technology.objects.get(slug="drone")],
        track_record_municipalities=[Municipality.objects.get(code="272051")],
    )
    solution_set_published(actor=user, solution=solution, published=True)
    index_rebuild()
    return {
        "bridge": bridge,
        "elderly": elderly,
        "solution": solution,
        "member": user,
        "organisation": organisation,
    }


def _results(response):
    return [item.entry.title for item in response.context["page_obj"].object_list]


def _facet(response, name):
    facet = next(f for f in response.context["facets"] if f.name == name)
    return {option.value: option.count for option in facet.options}


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
    assert _facet(response, "type") == {"challenge": 1, "solution": 1}


def test_municipality_technology_and_status_facets(client, indexed):
    """Each facet counts what the database says and narrows to exactly that many results."""
    response = client.get("/search/", {"q": "ドローン 見守り"})
    assert _facet(response, "municipality") == {"271403": 1, "272051": 2}
    assert _facet(response, "technology") == {"drone": 2}
    assert _facet(response, "status") == {"open": 1, "closed": 1}
    assert _facet(response, "field") == {"safety": 2, "health": 1}
    for name, value in (("municipality", "272051"), ("technology", "drone"), ("status", "closed")):
        narrowed = client.get("/search/", {"q": "ドローン 見守り", name: value})
        assert len(_results(narrowed)) == _facet(response, name)[value]
    body = response.content.decode()
    assert "堺市" in body and "吹田市" in body and "募集終了" in body


def test_facets_combine_and_count_with_the_other_choices(client, indexed):
    """With a municipality chosen, the type counts cover that municipality only."""
    response = client.get("/search/", {"q": "ドローン 見守り", "municipality": "272051"})
    assert sorted(_results(response)) == ["UAV bridge inspection", "高齢者の見守り"]
    assert _facet(response, "type") == {"challenge": 1, "solution": 1}
    assert _facet(response, "municipality")["271403"] == 1
    both = client.get(
        "/search/", {"q": "ドローン 見守り", "municipality": "272051", "type": "challenge"}
    )
    assert _results(both) == ["高齢者の見守り"]
    body = both.content.decode()
    assert "q=%E3%83%89%E3%83%AD%E3%83%BC%E3%83%B3" in body and 'aria-current="true"' in body


def test_choices_that_exclude_everything_offer_to_clear_them(client, indexed):
    """A facet choice with no results explains itself instead of claiming nothing matched."""
    response = client.get("/search/", {"q": "点検", "municipality": "272051", "type": "challenge"})
    body = response.content.decode()
    assert response.context["state"] == "filtered_out"
    assert "この絞り込みの条件に合う結果はありません" in body
    assert "絞り込みを解除して見る" in body


def test_withdrawn_objects_never_appear_even_before_the_index_catches_up(client, indexed):
    """Unpublished challenges, drafts and solutions of unapproved organisations are left out
    (their changes are in the outbox, which no worker has applied yet)."""
    from forum.services.solutions import solution_set_published

    Challenge.objects.filter(pk=indexed["bridge"].pk).update(is_published=False)
    outbox_record(doc_type="challenge", object_id=indexed["bridge"].pk)  # as challenge_withdraw
    solution_set_published(actor=indexed["member"], solution=indexed["solution"], published=False)
    response = client.get("/search/", {"q": "ドローン 橋 bridge"})
    assert _results(response) == []
    assert _facet(response, "type") == {}
    solution_set_published(actor=indexed["member"], solution=indexed["solution"], published=True)
    index_rebuild()
    Organisation.objects.filter(pk=indexed["organisation"].pk).update(
        status=Organisation.Status.PENDING
    )
    outbox_record_organisation(organisation_id=indexed["organisation"].pk)  # as its services do
    response = client.get("/search/", {"q": "bridge"})
    assert _results(response) == []
    assert _facet(response, "type") == {}


def test_mixed_width_query_matches_and_marks_the_original_text(client, indexed):
    """Half-width ﾄﾞﾛｰﾝ and full-width spaces are folded; the match is marked in the title."""
    response = client.get("/search/", {"q": "ﾄﾞﾛｰﾝ　点検"})
    assert "ドローンで橋を点検したい" in _results(response)
    body = response.content.decode()
    assert "<mark>ドローン</mark>で橋を<mark>点検</mark>したい" in body


def test_english_query_marks_the_japanese_synonym(client, indexed):
    """Searching drone marks ドローン in a Japanese title, because the synonym list links them."""
    body = client.get("/search/", {"q": "drone"}).content.decode()
    assert "<mark>ドローン</mark>で橋を点検したい" in body


def test_misspelt_query_offers_close_terms_that_find_results(client, indexed):
    """Nothing matches どろーん or dorone, so the page offers ドローン / drone with their counts."""
    response = client.get("/search/", {"q": "どろーん"})
    assert response.context["state"] == "none"
    assert [s["query"] for s in response.context["suggestions"]] == ["ドローン"]
    assert response.context["suggestions"][0]["count"] == 2
    assert "もしかして" in response.content.decode()
    english = client.get("/search/", {"q": "dorone"})
    offered = [s["query"] for s in english.context["suggestions"]]
    assert offered[0] == "drone" and all(s["count"] for s in english.context["suggestions"])


def test_no_results_page_shows_help_without_an_empty_filter_column(client, indexed):
    """When nothing matches, the page gives its help across the width and no empty filter
    column; with results the filters are back."""
    body = client.get("/search/", {"q": "zzqqxx"}).content.decode()
    assert "一致する結果は見つかりませんでした" in body
    assert 'id="facet-heading"' not in body
    assert 'id="facet-heading"' in client.get("/search/", {"q": "ドローン"}).content.decode()


def test_a_slip_inside_a_katakana_word_is_answered_with_the_word(client, indexed):
    """ドロン is not ドローン, so it finds nothing by itself (a part of a word, ロー in パトロール,
    must not pass for the word); the page offers the word it was close to, with its count."""
    response = client.get("/search/", {"q": "ドロン"})
    assert response.context["state"] == "none"
    # The bridge challenge, and the English solution through the glossary (drone).
    assert [(s["query"], s["count"]) for s in response.context["suggestions"]] == [("ドローン", 2)]


def test_every_word_must_be_found_and_a_part_of_a_word_is_not_a_word(client, indexed):
    """サーバ does not find センサー or サービス through their shared bigram サー; several words
    find what holds them all, and when nothing does, what holds some, said as such."""
    published_challenge(title="水位センサーのサービスを広げたい", summary="センサーの保守")
    index_rebuild()
    none = client.get("/search/", {"q": "サーバ"})
    assert none.context["state"] == "none" and _results(none) == []
    both = client.get("/search/", {"q": "ドローン 橋"})
    assert _results(both) == ["ドローンで橋を点検したい"]
    assert not both.context["partial"] and "partial-results" not in both.content.decode()
    some = client.get("/search/", {"q": "ドローン 見守り"})
    assert (
        some.context["partial"]
        and "いずれかの語を含む結果を表示しています" in some.content.decode()
    )
    assert "ドローンで橋を点検したい" in _results(some)


def test_close_terms_never_come_from_hidden_documents(client, indexed):
    """A word known only from a withdrawn challenge is not offered, even though it was indexed."""
    hidden = published_challenge(title="スマートゲートウェイの導入", summary="非公開になる")
    index_rebuild()
    Challenge.objects.filter(pk=hidden.pk).update(is_published=False)
    outbox_record(doc_type="challenge", object_id=hidden.pk)  # as challenge_withdraw does
    response = client.get("/search/", {"q": "ゲートウエイ"})
    assert response.context["state"] == "none"
    assert response.context["suggestions"] == []


def test_cluster_outage_answers_from_the_embedded_store(client, indexed):
    """With Elasticsearch unreachable the page still answers, from the store the index keeps."""
    with override_settings(SEARCH_BACKEND="elasticsearch", ELASTICSEARCH_URL="http://127.0.0.1:9"):
        response = client.get("/search/", {"q": "ドローン"})
    assert response.status_code == 200
    assert "ドローンで橋を点検したい" in _results(response)


def test_results_are_paginated_keeping_the_choices(client, indexed):
    """Eleven matching challenges spread over two pages; page links keep the facets."""
    for number in range(10):
        published_challenge(title=f"ドローン活用{number}", summary="橋")
    index_rebuild()
    first = client.get("/search/", {"q": "ドローン", "type": "challenge"})
    assert first.context["total"] == 11 and len(_results(first)) == 10
    assert "type=challenge&amp;page=2" in first.content.decode()
    second = client.get("/search/", {"q": "ドローン", "type": "challenge", "page": 2})
    assert len(_results(second)) == 1


def test_full_width_query_matches(client, indexed):
    """Full-width input is folded before searching."""
    assert "高齢者の見守り" in _results(client.get("/search/", {"q": "高齢者　見守り"}))


@pytest.mark.parametrize(
    "query",
    [
        "",
        "!!!@@@",
        "a" * 5000,
        "title:(ドローン OR 橋) AND -x~2",
        '"ドローン" AND NOT * \\ / [橋 TO 点検] {x} ^2 ||&&',
        "<script>alert(1)</script>",
        "ＤＲＯＮＥ　ｄｒｏｎｅ",
    ],
)
def test_odd_queries_never_error(client, indexed, query):
    """Empty, symbol-only, huge, syntax-laden and mixed-width queries give results or help."""
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    state = response.context["state"]
    if not query:
        assert state == "start" and "まとめて検索できます" in body
    elif query.startswith("!!!"):
        assert state == "symbols" and "記号だけでは検索できません" in body
    elif "ドローン" in query or "DRONE" in query:
        assert "ドローンで橋を点検したい" in _results(response)
    else:
        assert state in ("results", "none")
    if len(query) > 200:
        assert "先頭の200文字で検索しました" in body


def test_private_proposals_are_never_searchable(client, indexed):
    """A proposal's text stays private: searching its words finds nothing of it."""
    from forum.services.proposals import proposal_create

    proposal_create(
        actor=indexed["member"],
        challenge=indexed["bridge"],
        organisation=indexed["organisation"],
        title="極秘のゲートウェイ提案",
        summary="ゲートウェイの概算費用",
    )
    index_rebuild()
    response = client.get("/search/", {"q": "ゲートウェイ"})
    assert response.context["state"] == "none"
    assert "極秘" not in response.content.decode()


def test_public_projects_are_found_and_private_ones_never(
    client, django_capture_on_commit_callbacks
):
    """A project marked public is searchable by its case study; making it private removes it."""
    from forum.services.projects.lifecycle import project_publication_update
    from tests.forum.project_fixtures import make_crew

    with django_capture_on_commit_callbacks(execute=True):
        crew = make_crew(title="ため池の見守りプロジェクト")
    response = client.get("/search/", {"q": "見守りプロジェクト", "type": "project"})
    assert _results(response) == []
    with django_capture_on_commit_callbacks(execute=True):
        project_publication_update(
            actor=crew.secretariat,
            project=crew.project,
            is_public=True,
            case_study="水位センサーで、ため池の見守りを社会実装しました。",
        )
    response = client.get("/search/", {"q": "ため池 社会実装", "type": "project"})
    assert _results(response) == ["ため池の見守りプロジェクト"]
    assert _facet(response, "type")["project"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        project_publication_update(
            actor=crew.secretariat, project=crew.project, is_public=False, case_study="x"
        )
    response = client.get("/search/", {"q": "ため池 社会実装", "type": "project"})
    assert _results(response) == []


def test_public_project_summary_stays_with_its_participants(
    client, django_capture_on_commit_callbacks
):
    """A public project is found by its case study; the internal summary is never searched or shown."""
    from forum.models import Project
    from forum.services.projects.lifecycle import project_publication_update
    from tests.forum.project_fixtures import make_crew

    with django_capture_on_commit_callbacks(execute=True):
        crew = make_crew(title="ため池の見守りプロジェクト")
        Project.objects.filter(pk=crew.project.pk).update(summary="概算費用は極秘の八百万円")
        project_publication_update(
            actor=crew.secretariat,
            project=crew.project,
            is_public=True,
            case_study="水位センサーで、ため池の見守りを社会実装しました。",
        )
    response = client.get("/search/", {"q": "極秘", "type": "project"})
    assert _results(response) == []
    response = client.get("/search/", {"q": "ため池 社会実装", "type": "project"})
    assert _results(response) == ["ため池の見守りプロジェクト"]
    assert "極秘" not in response.content.decode()


def test_english_results_name_one_result_in_the_singular(client, indexed):
    """After switching to English, a result's badge reads Challenge, the facet Challenges."""
    client.cookies["django_language"] = "en"
    response = client.get("/search/", {"q": "ドローン"})
    [challenge] = [r for r in response.context["page_obj"].object_list if r.doc_type == "challenge"]
    assert str(challenge.label) == "Challenge"
    body = response.content.decode()
    assert "Challenges" in body


def test_unknown_facet_values_are_dropped_like_the_lists_do(client, indexed):
    """A field or municipality that does not exist is ignored, as on the challenge list, instead
    of emptying the results; a known one still narrows them."""
    everything = _results(client.get("/search/", {"q": "ドローン"}))
    assert everything
    unknown = client.get(
        "/search/", {"q": "ドローン", "field": "no-such-field", "municipality": "999999"}
    )
    assert _results(unknown) == everything
    assert unknown.context["search"].selected() == {}
    health = client.get("/search/", {"q": "ドローン", "field": "health"})
    assert _results(health) == []


def test_sdg_facet_counts_and_narrows(client, indexed, django_capture_on_commit_callbacks):
    """A challenge's SDGs are a facet: set through the service, indexed, counted and narrowing."""
    from forum.services.tags import challenge_tags_set
    from tests.forum.helpers import secretariat_user

    with django_capture_on_commit_callbacks(execute=True):
        challenge_tags_set(
            actor=secretariat_user(), challenge=indexed["elderly"], sdg_numbers=[3, 11]
        )
    response = client.get("/search/", {"q": "ドローン 見守り"})
    assert _facet(response, "sdg") == {"3": 1, "11": 1}
    narrowed = client.get("/search/", {"q": "ドローン 見守り", "sdg": "11"})
    assert _results(narrowed) == ["高齢者の見守り"]


def _strategy_tags(indexed):
    """スーパーシティ on both challenges, デジタルデバイド on the elderly one only; ORDEN used by
    the bridge challenge, an unlisted dataset used by the elderly one (never shown)."""
    from forum.models import StrategyTheme, ThemeTagging

    city = StrategyTheme.objects.create(slug="super-city", name_ja="スーパーシティ")
    divide = StrategyTheme.objects.create(slug="digital-divide", name_ja="デジタルデバイド対策")
    for challenge in (indexed["bridge"], indexed["elderly"]):
        ThemeTagging.objects.create(theme=city, challenge=challenge)
    ThemeTagging.objects.create(theme=divide, challenge=indexed["elderly"])
    orden, retired = listed_and_retired_datasets()
    orden.challenges.add(indexed["bridge"])
    retired.challenges.add(indexed["elderly"])
    index_rebuild()  # tagged here row by row, not through the services that tell the index


def test_theme_and_dataset_facets_count_and_narrow(client, indexed):
    """Themes and datasets are facets like SDGs: counted by the index, narrowing to exactly
    that many results; an unlisted dataset is neither counted nor a filter."""
    _strategy_tags(indexed)
    response = client.get("/search/", {"q": "ドローン 見守り"})
    assert _facet(response, "theme") == {"super-city": 2, "digital-divide": 1}
    assert _facet(response, "dataset") == {"orden": 1}
    themed = client.get("/search/", {"q": "ドローン 見守り", "theme": "digital-divide"})
    assert _results(themed) == ["高齢者の見守り"]
    # Each facet is counted with the other facets' choices applied, never its own.
    assert _facet(themed, "dataset") == {}
    assert _facet(themed, "theme") == {"super-city": 2, "digital-divide": 1}
    with_data = client.get("/search/", {"q": "ドローン 見守り", "dataset": "orden"})
    assert _results(with_data) == ["ドローンで橋を点検したい"]
    retired = client.get("/search/", {"q": "ドローン 見守り", "dataset": "old"})
    assert retired.context["search"].selected() == {}
    html = response.content.decode()
    assert 'id="facet-theme"' in html and 'id="facet-dataset"' in html


def test_tagging_through_the_services_reaches_the_facets_at_once(
    client, indexed, django_capture_on_commit_callbacks
):
    """A theme or a dataset named through the services is counted by the next search, with
    no rebuild: the tag services tell the index like any other change."""
    from forum.models import StrategyTheme
    from forum.services.datasets import challenge_datasets_set
    from forum.services.tags import challenge_tags_set
    from tests.forum.helpers import secretariat_user

    secretariat = secretariat_user()
    StrategyTheme.objects.create(slug="expo-legacy", name_ja="大阪・関西万博レガシー")
    CatalogDatasetFactory()
    with django_capture_on_commit_callbacks(execute=True):
        challenge_tags_set(
            actor=secretariat,
            challenge=indexed["bridge"],
            sdg_numbers=[9],
            themes={"expo-legacy": ""},
        )
        challenge_datasets_set(actor=secretariat, challenge=indexed["elderly"], slugs=["orden"])
    response = client.get("/search/", {"q": "ドローン 見守り"})
    assert _facet(response, "theme") == {"expo-legacy": 1}
    assert _facet(response, "dataset") == {"orden": 1}
    assert _facet(response, "sdg") == {"9": 1}


def test_theme_and_dataset_facets_with_elasticsearch(client, indexed, settings, monkeypatch):
    """With Elasticsearch, a theme or dataset choice is a filter of the page's request and
    each is counted by its own aggregation; the page shows the cluster's counts."""
    from search.backends.elasticsearch import ElasticsearchBackend, alias_name
    from tests.search.fake_elasticsearch import RecordingNode, decoded, recording_client

    _strategy_tags(indexed)
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://es.test:9200"
    recorder = recording_client()
    original = ElasticsearchBackend.__init__
    monkeypatch.setattr(
        ElasticsearchBackend, "__init__", lambda self, client=None: original(self, client=recorder)
    )
    challenge = indexed["elderly"]
    hit = {
        "_score": 2.0,
        "_source": {
            "doc_type": "challenge",
            "object_id": challenge.pk,
            "title": challenge.title,
            "summary": challenge.summary,
            "fields": [challenge.field.slug],
            "url": challenge.url,
        },
    }
    buckets = {
        "theme": {"super-city": 1, "digital-divide": 1},
        "dataset": {"orden": 1},
    }
    RecordingNode.responses[("POST", f"/{alias_name()}/_search")] = (
        200,
        {
            "hits": {"total": {"value": 1}, "hits": [hit]},
            "aggregations": {
                "matched": {"doc_count": 2},
                **{
                    name: {
                        "values": {
                            "buckets": [{"key": k, "doc_count": n} for k, n in counts.items()]
                        }
                    }
                    for name, counts in buckets.items()
                },
            },
        },
    )
    response = client.get("/search/", {"q": "見守り", "theme": "digital-divide"})
    [sent] = [r for r in RecordingNode.requests if r["path"].endswith("/_search")]
    body = decoded(sent)
    assert body["post_filter"] == {"bool": {"filter": [{"term": {"themes": "digital-divide"}}]}}
    assert body["aggs"]["dataset"]["aggs"]["values"]["terms"]["field"] == "datasets"
    assert body["aggs"]["theme"]["filter"] == {"bool": {"filter": []}}
    assert _results(response) == ["高齢者の見守り"]
    assert _facet(response, "theme") == buckets["theme"]
    assert _facet(response, "dataset") == buckets["dataset"]


def test_a_spelling_variant_is_found_and_marked_whole(client, indexed):
    """Searching サーバ finds a challenge that writes サーバー and marks the whole word."""
    published_challenge(title="庁内サーバーの更新を楽にしたい", summary="機器の入れ替え")
    index_rebuild()
    body = client.get("/search/", {"q": "サーバ"}).content.decode()
    assert "庁内<mark>サーバー</mark>の更新を楽にしたい" in body


def test_english_site_keeps_the_highlight_of_a_japanese_only_title(client, indexed, settings):
    """A challenge without an English version is listed in Japanese on the English site, marked
    as such, with its matched words highlighted (not shown as tags)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/search/", {"q": "見守り"}).content.decode()
    assert "高齢者の<mark>見守り</mark>" in body
    assert "&lt;mark&gt;" not in body
