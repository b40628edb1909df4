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


def _live_profiles():
    from matching.query import Profile
    from search.vectors import encode

    profiles = [
        Profile(
            "c1",
            "challenge",
            "ひとり暮らしのお年寄りの家で火が出たとき、周りがすぐ気づけるようにしたい",
            "火災に早く気づき、近所や家族に知らせたい",
            fields=["safety"],
            stage="poc",
        ),
        Profile(
            "s1",
            "solution",
            "Connected smoke alarms that alert neighbours and family",
            "LTE-M smoke and heat alarms send alerts to family members and neighbours",
            fields=["safety"],
            stage="in_service",
            language="en",
        ),
        Profile(
            "s2",
            "solution",
            "観光客向けの多言語案内アプリ",
            "観光地の案内を多言語で配信します",
            fields=["industry"],
        ),
        Profile(
            "s3",
            "solution",
            "防災備蓄品の期限管理クラウド",
            "備蓄食料の消費期限を管理します",
            fields=["safety"],
        ),
    ]
    for profile, row in zip(
        profiles, encode([f"{p.title}\n{p.summary}" for p in profiles]), strict=True
    ):
        profile.vector = row
    return profiles


def test_matching_query_runs_on_a_live_cluster(settings):
    """The matching body is accepted; the English smoke alarm comes first, with named reasons."""
    from matching.backends.elasticsearch import throwaway_matcher

    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    settings.ELASTICSEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:8]}"
    profiles = _live_profiles()
    with throwaway_matcher(profiles) as matcher:
        suggestions = matcher.suggest(profiles[0], limit=3)
        assert suggestions[0].doc_id == "s1"
        clauses = {r.clause for r in suggestions[0].reasons}
        assert {"semantic", "same_field", "stage_fit"} <= clauses
        baseline = matcher.suggest(profiles[0], limit=3, text_only=True)
        assert all({r.clause for r in s.reasons} <= {"text"} for s in baseline)
        back = matcher.suggest(profiles[1], limit=1)
        assert [s.doc_id for s in back] == ["c1"]


def test_site_matching_uses_the_cluster_after_a_rebuild(settings, db, monkeypatch):
    """With the cluster configured, suggestions for a stored challenge come from Elasticsearch."""
    from matching.backends import get_matching
    from matching.backends.embedded import EmbeddedMatching
    from search.services import index_rebuild, vectors_fill
    from tests.matching.helpers import build_world

    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    settings.ELASTICSEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:8]}"
    settings.SEARCH_BACKEND = "elasticsearch"
    world = build_world()
    while vectors_fill():
        pass
    index_rebuild()
    from elasticsearch import Elasticsearch

    from search.backends.elasticsearch import alias_name

    client = Elasticsearch(settings.ELASTICSEARCH_URL)
    try:
        client.indices.refresh(index=alias_name())
        monkeypatch.setattr(
            EmbeddedMatching,
            "suggest",
            lambda *a, **k: pytest.fail("answered in process instead of by the cluster"),
        )
        suggestions = get_matching().suggest(f"challenge:{world['challenge'].pk}")
        assert suggestions[0].doc_id == f"solution:{world['fitting'].pk}"
    finally:
        client.options(ignore_status=404).indices.delete(index=f"{alias_name()}-*")
