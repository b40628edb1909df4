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


@pytest.fixture
def percolator(settings):
    from elasticsearch import Elasticsearch

    from search.backends.percolator import PercolatorIndex, percolator_alias

    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    settings.ELASTICSEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:8]}"
    client = Elasticsearch(settings.ELASTICSEARCH_URL)
    yield PercolatorIndex(client=client)
    client.options(ignore_status=404).indices.delete(index=f"{percolator_alias()}-*")


def test_percolator_agrees_with_the_embedded_rule_on_a_live_cluster(percolator):
    """Every case of the shared table percolates on the cluster as the embedded rule decides."""
    from matching.alerts import AlertDocument
    from search.backends.percolator import percolator_document
    from tests.matching.alert_cases import CASES

    percolator.replace_all(
        {number: (rule.query(), rule.version()) for number, (_, rule, _, _) in enumerate(CASES)}
    )
    documents = {id(document): document for _, _, document, _ in CASES}
    for document in documents.values():
        matched = set(percolator.percolate(percolator_document(document)))
        for number, (name, rule, case_document, expected) in enumerate(CASES):
            if case_document is not document:
                continue
            assert (number in matched) is expected, name
            assert rule.matches(AlertDocument.of(document)) is expected, name
    assert set(percolator.versions()) == set(range(len(CASES)))
    percolator.store(0, CASES[1][1].query(), "changed")
    percolator.refresh()
    assert percolator.versions()[0] == "changed"
    percolator.delete(0)
    percolator.refresh()
    assert 0 not in percolator.versions()
