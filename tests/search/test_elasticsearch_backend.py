"""The Elasticsearch backend checked through the exact requests it sends and the responses it parses."""

import pytest

from search.analysis import STOP_TAGS, STOP_WORDS
from search.backends.base import SearchQuery
from search.backends.elasticsearch import ElasticsearchBackend, alias_name, synonym_rules
from search.backends.es_requests import page_body, parse_hits, search_body
from tests.search.fake_elasticsearch import RecordingNode, decoded, recording_client

DOCUMENT = {
    "title": "ドローンで橋を点検したい",
    "summary": "橋の点検",
    "description": "",
    "fields": ["infrastructure"],
    "technologies": ["ドローン"],
    "municipalities": ["271403"],
    "stage": "poc",
    "status": "open",
    "language": "ja",
    "published_at": "2026-11-02T09:00:00+09:00",
    "url": "/challenges/271403/bridge/",
    "vector_key": "k" * 64,
    "content_hash": "abc",
}


@pytest.fixture
def backend():
    return ElasticsearchBackend(client=recording_client())


def test_index_creation_sends_analyzers_and_mapping(backend):
    """The new index has the built-in-only analyzer chain, inline synonyms and keyword fields."""
    RecordingNode.responses[("HEAD", f"/_alias/{alias_name()}")] = (404, {})
    backend.ensure_alias()
    create = next(
        r
        for r in RecordingNode.requests
        if r["method"] == "PUT" and r["path"].startswith(f"/{alias_name()}-")
    )
    body = decoded(create)
    analysis = body["settings"]["analysis"]
    assert analysis["analyzer"]["forum_ja"] == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["cjk_width", "lowercase", "cjk_bigram", "forum_synonyms"],
    }
    assert analysis["filter"]["forum_synonyms"]["type"] == "synonym"
    assert analysis["filter"]["forum_synonyms_graph"]["type"] == "synonym_graph"
    assert analysis["filter"]["forum_synonyms"]["synonyms"] == synonym_rules()
    properties = body["mappings"]["properties"]
    assert properties["title"]["analyzer"] == "forum_ja"
    assert properties["title"]["search_analyzer"] == "forum_ja_search"
    assert properties["title"]["fields"]["en"] == {"type": "text", "analyzer": "english"}
    assert properties["title"]["fields"]["plain"] == {"type": "text", "analyzer": "forum_ja_plain"}
    # Whole words beside the bigrams: Kuromoji (IPADIC) with the lists the embedded analyser uses.
    words = properties["title"]["fields"]["words"]
    assert words == {
        "type": "text",
        "analyzer": "forum_ja_words",
        "search_analyzer": "forum_ja_words_search",
    }
    assert analysis["analyzer"]["forum_ja_words"] == {
        "type": "custom",
        "char_filter": ["forum_nfkc"],
        "tokenizer": "forum_kuromoji",
        "filter": [
            "kuromoji_baseform",
            "forum_pos",
            "forum_katakana_stem",
            "lowercase",
            "forum_stop",
            "forum_word_synonyms",
        ],
    }
    assert analysis["analyzer"]["forum_ja_words_search"]["filter"][-1] == (
        "forum_word_synonyms_graph"
    )
    assert analysis["char_filter"]["forum_nfkc"] == {"type": "icu_normalizer", "name": "nfkc_cf"}
    kuromoji = analysis["tokenizer"]["forum_kuromoji"]
    assert kuromoji["type"] == "kuromoji_tokenizer" and kuromoji["mode"] == "normal"
    assert "ドローン,ドローン,ドローン,カスタム名詞" in kuromoji["user_dictionary_rules"]
    assert analysis["filter"]["forum_pos"]["stoptags"] == list(STOP_TAGS)
    assert "助詞-格助詞-一般" in analysis["filter"]["forum_pos"]["stoptags"]
    assert analysis["filter"]["forum_katakana_stem"] == {
        "type": "kuromoji_stemmer",
        "minimum_length": 4,
    }
    assert analysis["filter"]["forum_stop"]["stopwords"] == list(STOP_WORDS)
    assert analysis["filter"]["forum_word_synonyms"]["synonyms"] == synonym_rules()
    assert analysis["analyzer"]["forum_ja_plain"]["filter"] == [
        "cjk_width",
        "lowercase",
        "cjk_bigram",
    ]
    assert properties["vector"] == {
        "type": "dense_vector",
        "dims": 384,
        "index": True,
        "similarity": "cosine",
    }
    assert properties["technology_keys"] == {"type": "keyword"}
    assert properties["published_at"] == {"type": "date"}
    assert properties["fields"] == {"type": "keyword"} and properties["object_id"] == {
        "type": "long"
    }
    alias = [
        r
        for r in RecordingNode.requests
        if r["method"] == "PUT" and r["path"].endswith(f"/_alias/{alias_name()}")
    ]
    assert len(alias) == 1


def test_upsert_and_delete_go_through_the_alias(backend):
    """Writes address the alias with a stable id; a delete of a missing document is not an error."""
    backend.upsert("challenge", 7, DOCUMENT)
    put = RecordingNode.requests[-1]
    assert (put["method"], put["path"]) == ("PUT", f"/{alias_name()}/_doc/challenge%3A7")
    sent = decoded(put)
    assert (
        sent["doc_type"] == "challenge"
        and sent["object_id"] == 7
        and sent["technologies"] == ["ドローン"]
    )
    assert sent["technology_keys"] == ["ドローン"] and "vector" not in sent
    backend.upsert("challenge", 7, {**DOCUMENT, "technologies": ["ＵＡＶ"], "vector": [0.5] * 384})
    sent = decoded(RecordingNode.requests[-1])
    assert sent["technology_keys"] == ["ドローン"] and sent["vector"] == [0.5] * 384
    RecordingNode.responses[("DELETE", f"/{alias_name()}/_doc/")] = (404, {"result": "not_found"})
    backend.delete("challenge", 7)
    assert RecordingNode.requests[-1]["method"] == "DELETE"


def test_rebuild_bulk_loads_a_new_index_and_swaps_the_alias(backend):
    """replace_all bulk-writes into a fresh index, then adds it to the alias and removes the old one."""
    RecordingNode.responses[("GET", f"/_alias/{alias_name()}")] = (
        200,
        {"forum-documents-old": {"aliases": {alias_name(): {}}}},
    )
    RecordingNode.responses[("PUT", "/_bulk")] = (
        200,
        {"errors": False, "items": [{"index": {"status": 201}}]},
    )
    RecordingNode.responses[("POST", "/_reindex")] = (200, {"created": 0, "failures": []})
    backend.replace_all("challenge", {7: DOCUMENT})
    bulk = next(r for r in RecordingNode.requests if r["path"] == "/_bulk")
    action, source = decoded(bulk)
    assert action["index"]["_id"] == "challenge:7" and action["index"]["_index"].startswith(
        f"{alias_name()}-"
    )
    assert source["title"] == DOCUMENT["title"]
    swap = next(r for r in RecordingNode.requests if r["path"] == "/_aliases")
    actions = decoded(swap)["actions"]
    assert actions[0]["add"]["alias"] == alias_name()
    assert actions[1] == {"remove": {"index": "forum-documents-old", "alias": alias_name()}}
    assert any(
        r["method"] == "DELETE" and r["path"] == "/forum-documents-old"
        for r in RecordingNode.requests
    )


def test_search_body_and_response_parsing(backend):
    """Every word of a query must be found, each in the fields of both analyses with boosts
    (a Latin word in the English fields too); the page's second try asks for any word; the
    type filters; hits come back typed."""
    words = [
        "title^3",
        "summary^2",
        "description",
        "title.words^3",
        "summary.words^2",
        "description.words",
    ]
    english = ["title.en^2", "summary.en", "description.en"]

    def part(query, fields):
        return {
            "multi_match": {
                "query": query,
                "fields": fields,
                "type": "most_fields",
                "operator": "and",
            }
        }

    assert search_body("ドローン 点検 UAV", ("challenge",))["query"]["bool"] == {
        "must": [part("ドローン", words), part("点検", words), part("uav", words + english)],
        "filter": [{"terms": {"doc_type": ["challenge"]}}],
    }
    assert search_body("ドローン の点検", ("challenge",), any_part=True)["query"]["bool"][
        "must"
    ] == [
        {
            "bool": {
                "should": [part("ドローン", words), part("の点検", words)],
                "minimum_should_match": 1,
            }
        }
    ]
    RecordingNode.responses[("POST", f"/{alias_name()}/_search")] = (
        200,
        {
            "hits": {
                "total": {"value": 1},
                "hits": [
                    {
                        "_id": "challenge:7",
                        "_score": 4.2,
                        "_source": {**DOCUMENT, "doc_type": "challenge", "object_id": 7},
                    }
                ],
            }
        },
    )
    [(hit, score)] = backend.search("ドローン", doc_types=("challenge", "solution"))
    assert (hit.doc_type, hit.object_id, hit.title, score) == (
        "challenge",
        7,
        DOCUMENT["title"],
        4.2,
    )
    assert parse_hits({"hits": {"hits": []}}) == []


def test_embedded_store_is_always_written(settings):
    """With Elasticsearch configured, writes go to it and to the embedded store matching reads."""
    from search.backends import get_writers

    settings.SEARCH_BACKEND = "embedded"
    assert [w.name for w in get_writers()] == ["embedded"]
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://es.test:9200"
    assert [w.name for w in get_writers()] == ["embedded", "elasticsearch"]


def test_vectors_reach_indexed_documents_as_partial_updates(backend):
    """Vectors computed later are sent as bulk partial updates of the documents' vector field."""
    import numpy as np

    RecordingNode.responses[("PUT", "/_bulk")] = (
        200,
        {"errors": False, "items": [{"update": {"status": 200}}]},
    )
    backend.vectors_update([("solution", 3, np.full(384, 0.25, dtype=np.float32))])
    bulk = next(r for r in RecordingNode.requests if r["path"] == "/_bulk")
    action, partial = decoded(bulk)
    assert action == {"update": {"_index": alias_name(), "_id": "solution:3"}}
    assert partial == {"doc": {"vector": [0.25] * 384}}


def test_search_asks_for_escaped_highlights_and_reads_them(backend):
    """The body asks for HTML-escaped <mark> fragments; parsed hits carry them by field."""
    body = search_body("ドローン", ("challenge", "solution"))
    assert body["highlight"] == {
        "encoder": "html",
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "fields": {
            "title": {"number_of_fragments": 0},
            "summary": {"fragment_size": 160, "number_of_fragments": 1},
            "description": {"fragment_size": 160, "number_of_fragments": 1},
        },
    }
    assert body["_source"] == ["doc_type", "object_id", "title", "summary", "fields", "url"]
    assert body["size"] == 500
    RecordingNode.responses[("POST", f"/{alias_name()}/_search")] = (
        200,
        {
            "hits": {
                "hits": [
                    {
                        "_score": 2.0,
                        "_source": {**DOCUMENT, "doc_type": "challenge", "object_id": 7},
                        "highlight": {
                            "title": ["<mark>ドローン</mark>で橋を点検したい"],
                            "description": [],
                        },
                    },
                    {
                        "_score": 1.0,
                        "_source": {**DOCUMENT, "doc_type": "solution", "object_id": 8},
                    },
                ]
            }
        },
    )
    (first, _), (second, _) = backend.search("ドローン", doc_types=("challenge", "solution"))
    sent = decoded(RecordingNode.requests[-1])
    assert sent["highlight"] == body["highlight"]
    assert first.highlights == {"title": ["<mark>ドローン</mark>で橋を点検したい"]}
    assert second.highlights == {}


def test_search_page_shows_backend_fragments_and_escapes_the_rest(
    settings, client, db, monkeypatch
):
    """With Elasticsearch, the page uses its fragments for marks; plain text stays escaped."""
    from tests.forum.proposal_fixtures import published_challenge

    challenge = published_challenge(title="<b>ドローン</b>で点検", summary="橋 & 道路")
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://es.test:9200"
    recorder = recording_client()
    original = ElasticsearchBackend.__init__
    monkeypatch.setattr(
        ElasticsearchBackend, "__init__", lambda self, client=None: original(self, client=recorder)
    )
    RecordingNode.responses[("POST", f"/{alias_name()}/_search")] = (
        200,
        {
            "hits": {
                "total": {"value": 1, "relation": "eq"},
                "hits": [
                    {
                        "_score": 2.0,
                        "_source": {
                            **DOCUMENT,
                            "title": challenge.title,
                            "summary": challenge.summary,
                            "doc_type": "challenge",
                            "object_id": challenge.pk,
                        },
                        "highlight": {"title": ["&lt;b&gt;<mark>ドローン</mark>&lt;/b&gt;で点検"]},
                    }
                ],
            }
        },
    )
    body = client.get("/search/", {"q": "ドローン"}).content.decode()
    sent = decoded(RecordingNode.requests[-1])
    assert (sent["from"], sent["size"]) == (0, 10)  # one page asked for, not every candidate
    assert "&lt;b&gt;<mark>ドローン</mark>&lt;/b&gt;で点検" in body
    assert "橋 &amp; 道路" in body
    assert "<b>ドローン</b>" not in body


def test_health_names_the_cluster_status_and_refuses_red(backend):
    """health() asks the cluster once, without retries, and takes red as unavailable."""
    RecordingNode.responses[("GET", "/_cluster/health")] = (200, {"status": "yellow"})
    assert backend.health() == "elasticsearch (yellow)"
    assert RecordingNode.requests[-1]["path"] == "/_cluster/health"
    RecordingNode.responses[("GET", "/_cluster/health")] = (200, {"status": "red"})
    with pytest.raises(RuntimeError):
        backend.health()


@pytest.mark.django_db
def test_embedded_health_reads_its_store():
    """The embedded backend is healthy when its table in the database can be read."""
    from search.backends.embedded import EmbeddedBackend

    assert EmbeddedBackend().health() == "embedded"


def _facet_agg(field: str, *others: dict) -> dict:
    return {
        "filter": {"bool": {"filter": list(others)}},
        "aggs": {"values": {"terms": {"field": field, "size": 200}}},
    }


def test_page_body_filters_counts_and_hides_in_the_cluster():
    """One page: withdrawn ids left out of the query, choices as a post_filter, every facet
    aggregated under the other facets' choices, and only the page's hits asked for."""
    query = SearchQuery(
        "ドローン",
        ("challenge", "solution"),
        filters={"technology": "drone", "status": "open"},
        offset=20,
        limit=10,
        hidden=frozenset({("solution", 8), ("challenge", 5)}),
    )
    body = page_body(query, {"drone": "ドローン"})
    assert (body["from"], body["size"], body["track_total_hits"]) == (20, 10, True)
    assert body["query"]["bool"]["filter"] == [{"terms": {"doc_type": ["challenge", "solution"]}}]
    assert body["query"]["bool"]["must_not"] == [{"ids": {"values": ["challenge:5", "solution:8"]}}]
    technology, status = {"term": {"technologies": "ドローン"}}, {"term": {"status": "open"}}
    assert body["post_filter"] == {"bool": {"filter": [technology, status]}}
    assert body["aggs"] == {
        "matched": {"filter": {"match_all": {}}},
        "type": _facet_agg("doc_type", technology, status),
        "field": _facet_agg("fields", technology, status),
        "municipality": _facet_agg("municipalities", technology, status),
        "technology": _facet_agg("technologies", status),
        "sdg": _facet_agg("sdgs", technology, status),
        "theme": _facet_agg("themes", technology, status),
        "dataset": _facet_agg("datasets", technology, status),
        "status": _facet_agg("status", technology),
    }
    plain = page_body(SearchQuery("ドローン", ("challenge",)), {})
    assert "post_filter" not in plain and "must_not" not in plain["query"]["bool"]


def _buckets(**counts) -> dict:
    return {"values": {"buckets": [{"key": k, "doc_count": n} for k, n in counts.items()]}}


@pytest.mark.django_db
def test_search_page_sends_the_page_body_and_reads_hits_total_and_counts(backend):
    """The request is page_body's; the recorded response gives hits, totals and counts by slug."""
    RecordingNode.responses[("POST", f"/{alias_name()}/_search")] = (
        200,
        {
            "hits": {
                "total": {"value": 23, "relation": "eq"},
                "hits": [
                    {
                        "_id": "challenge:7",
                        "_score": 3.5,
                        "_source": {**DOCUMENT, "doc_type": "challenge", "object_id": 7},
                    }
                ],
            },
            "aggregations": {
                "matched": {"doc_count": 40},
                "type": _buckets(challenge=15, solution=8),
                "field": _buckets(infrastructure=23),
                "municipality": _buckets(**{"271403": 20, "272051": 3}),
                "technology": {
                    "doc_count": 31,
                    "values": {
                        "buckets": [
                            {"key": "ドローン", "doc_count": 23},
                            {"key": "AI", "doc_count": 4},
                            {"key": "もう無い技術", "doc_count": 1},
                        ]
                    },
                },
                "sdg": _buckets(**{"11": 5}),
                "theme": _buckets(**{"super-city": 3}),
                "dataset": _buckets(orden=2),
                "status": _buckets(open=23, closed=0),
            },
        },
    )
    query = SearchQuery("ドローン", ("challenge", "solution"), filters={"technology": "drone"})
    page = backend.search_page(query)
    from forum.models import Technology

    names = dict(Technology.objects.values_list("slug", "name_ja"))
    assert decoded(RecordingNode.requests[-1]) == page_body(query, names)
    assert [(hit.doc_type, hit.object_id, score) for hit, score in page.hits] == [
        ("challenge", 7, 3.5)
    ]
    assert (page.total, page.matched) == (23, 40)
    slug = {name: slug for slug, name in names.items()}
    assert page.facets == {
        "type": {"challenge": 15, "solution": 8},
        "field": {"infrastructure": 23},
        "municipality": {"271403": 20, "272051": 3},
        "technology": {slug["ドローン"]: 23, slug["AI"]: 4},
        "sdg": {"11": 5},
        "theme": {"super-city": 3},
        "dataset": {"orden": 2},
        "status": {"open": 23},
    }
