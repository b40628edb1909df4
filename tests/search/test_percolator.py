"""The percolator index checked through the exact requests it sends and the responses it parses."""

import pytest

from search.backends.elasticsearch import alias_name, new_index
from search.backends.percolator import (
    PercolatorIndex,
    PercolatorUnavailable,
    percolate_body,
    percolator_alias,
    percolator_document,
)
from tests.search.fake_elasticsearch import RecordingNode, decoded, recording_client

QUERY = {"bool": {"filter": [{"terms": {"fields": ["infrastructure"]}}]}}


@pytest.fixture
def index():
    return PercolatorIndex(client=recording_client())


def _scrolled(hits):
    return (
        200,
        {
            "_scroll_id": "s1",
            "_shards": {"total": 1, "successful": 1, "skipped": 0},
            "hits": {"hits": hits},
        },
    )


def _scroll_ends():
    RecordingNode.responses[("POST", "/_search/scroll")] = _scrolled([])
    RecordingNode.responses[("DELETE", "/_search/scroll")] = (200, {"succeeded": True})


def test_creation_maps_a_percolator_field_with_the_documents_analyzers(index):
    """The index has its own alias, a percolator field, and the documents index's analysis."""
    RecordingNode.responses[("HEAD", f"/_alias/{percolator_alias()}")] = (404, {})
    index.ensure_alias()
    create = next(
        r
        for r in RecordingNode.requests
        if r["method"] == "PUT" and r["path"].startswith(f"/{percolator_alias()}-")
    )
    body = decoded(create)
    properties = body["mappings"]["properties"]
    assert properties["query"] == {"type": "percolator"}
    assert properties["text"]["analyzer"] == "forum_ja"
    assert properties["text"]["search_analyzer"] == "forum_ja_search"
    assert properties["technologies"] == {"type": "keyword"}
    assert properties["query_id"] == {"type": "long"}
    documents_analysis = new_index("x").to_dict()["settings"]["analysis"]
    assert body["settings"]["analysis"] == documents_analysis
    alias = [
        r
        for r in RecordingNode.requests
        if r["method"] == "PUT" and r["path"].endswith(f"/_alias/{percolator_alias()}")
    ]
    assert len(alias) == 1
    assert percolator_alias() != alias_name()


def test_store_and_delete_address_the_alias_by_query_id(index):
    """A stored query carries its id and version; deleting a missing one is not an error."""
    index.store(12, QUERY, "v1")
    put = RecordingNode.requests[-1]
    assert (put["method"], put["path"]) == ("PUT", f"/{percolator_alias()}/_doc/12")
    assert decoded(put) == {"query": QUERY, "query_id": 12, "version": "v1"}
    RecordingNode.responses[("DELETE", f"/{percolator_alias()}/_doc/")] = (
        404,
        {"result": "not_found"},
    )
    index.delete(12)
    assert RecordingNode.requests[-1]["method"] == "DELETE"


def test_percolate_sends_the_folded_document_and_reads_query_ids(index):
    """The document is folded like the embedded analysis; matching query ids come back sorted."""
    document = percolator_document(
        {
            "title": "ﾄﾞﾛｰﾝで点検",
            "summary": "ＡＩで解析",
            "description": "",
            "fields": ["infrastructure"],
            "technologies": ["ドローン"],
            "municipalities": ["271403"],
        }
    )
    assert document == {
        "text": "ドローンで点検\naiで解析",
        "fields": ["infrastructure"],
        "technologies": ["ドローン"],
        "municipalities": ["271403"],
    }
    RecordingNode.responses[("POST", f"/{percolator_alias()}/_search")] = _scrolled(
        [{"_source": {"query_id": 9}}, {"_source": {"query_id": 3}}]
    )
    _scroll_ends()
    assert index.percolate(document) == [3, 9]
    search = next(r for r in RecordingNode.requests if r["path"].endswith("/_search"))
    assert decoded(search) == {
        "query": {"percolate": {"field": "query", "document": document}},
        "_source": ["query_id"],
        "sort": "_doc",
        "size": 1000,
    }
    assert percolate_body(document)["query"]["percolate"]["document"] is document


def test_versions_read_every_stored_query(index):
    """versions() scrolls through the whole index."""
    RecordingNode.responses[("POST", f"/{percolator_alias()}/_search")] = _scrolled(
        [{"_source": {"query_id": 1, "version": "a"}}, {"_source": {"query_id": 2, "version": "b"}}]
    )
    _scroll_ends()
    assert index.versions() == {1: "a", 2: "b"}


def test_rebuild_bulk_loads_a_new_index_and_swaps_the_alias(index):
    """replace_all writes every query to a fresh index, then moves the alias and drops the old."""
    RecordingNode.responses[("GET", f"/_alias/{percolator_alias()}")] = (
        200,
        {"forum-percolator-old": {"aliases": {percolator_alias(): {}}}},
    )
    RecordingNode.responses[("PUT", "/_bulk")] = (
        200,
        {"errors": False, "items": [{"index": {"status": 201}}]},
    )
    index.replace_all({5: (QUERY, "v5")})
    bulk = next(r for r in RecordingNode.requests if r["path"] == "/_bulk")
    action, source = decoded(bulk)
    assert action["index"]["_id"] == "5"
    assert action["index"]["_index"].startswith(f"{percolator_alias()}-")
    assert source == {"query": QUERY, "query_id": 5, "version": "v5"}
    swap = decoded(next(r for r in RecordingNode.requests if r["path"] == "/_aliases"))
    assert swap["actions"][0]["add"]["alias"] == percolator_alias()
    assert swap["actions"][1] == {
        "remove": {"index": "forum-percolator-old", "alias": percolator_alias()}
    }
    assert any(
        r["method"] == "DELETE" and r["path"] == "/forum-percolator-old"
        for r in RecordingNode.requests
    )


def test_cluster_errors_surface_as_percolator_unavailable(index):
    """A server error or an unreachable cluster becomes one exception callers can degrade on."""
    RecordingNode.responses[("PUT", f"/{percolator_alias()}/_doc/")] = (
        503,
        {"error": {"type": "unavailable_shards_exception", "reason": "no shards"}},
    )
    with pytest.raises(PercolatorUnavailable):
        index.store(1, QUERY, "v")
    from elasticsearch import Elasticsearch

    unreachable = PercolatorIndex(
        client=Elasticsearch("http://127.0.0.1:9", max_retries=0, request_timeout=1)
    )
    with pytest.raises(PercolatorUnavailable):
        unreachable.percolate(percolator_document({"title": "x"}))
