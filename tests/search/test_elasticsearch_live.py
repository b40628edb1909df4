"""Runs against a real cluster only when ELASTICSEARCH_URL is set (compose.yaml starts one)."""

import os
import uuid

import pytest

pytestmark = [
    pytest.mark.elasticsearch,
    pytest.mark.skipif(
        not os.environ.get("ELASTICSEARCH_URL"), reason="ELASTICSEARCH_URL is not set"
    ),
]

DOCUMENT = {
    "title": "ドローンで橋を点検したい",
    "summary": "橋の点検を安全に",
    "description": "",
    "fields": ["infrastructure"],
    "technologies": ["ドローン"],
    "municipalities": ["271403"],
    "stage": "poc",
    "url": "/challenges/271403/bridge/",
    "content_hash": "abc",
}


@pytest.fixture
def backend(settings):
    from elasticsearch import Elasticsearch

    from search.backends.elasticsearch import ElasticsearchBackend, alias_name

    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    settings.ELASTICSEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:8]}"
    client = Elasticsearch(settings.ELASTICSEARCH_URL)
    yield ElasticsearchBackend(client=client)
    client.options(ignore_status=404).indices.delete(index=f"{alias_name()}-*")


def test_rebuild_search_and_hashes_on_a_live_cluster(backend):
    """A rebuild swaps in the documents; synonyms connect UAV to ドローン; hashes read back."""
    backend.replace_all("challenge", {1: DOCUMENT})
    results = backend.search("UAV inspection", doc_types=("challenge",))
    assert [(hit.object_id, hit.doc_type) for hit, _ in results] == [(1, "challenge")]
    assert backend.hashes("challenge") == {1: "abc"}
    backend.delete("challenge", 1)
    backend.client.indices.refresh(index="_all")
    assert backend.hashes("challenge") == {}
