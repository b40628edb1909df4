"""The matching query on Elasticsearch: the exact request it sends and the response it reads."""

import numpy as np
import pytest

from matching.backends.elasticsearch import (
    ElasticsearchMatcher,
    match_body,
    parse_match_response,
    throwaway_matcher,
)
from matching.query import Profile, build_query
from search.backends.elasticsearch import alias_name
from tests.search.fake_elasticsearch import RecordingNode, decoded, recording_client


def _source(**overrides):
    values = {
        "id": "challenge:5",
        "kind": "challenge",
        "title": "ため池の水位を見守りたい",
        "summary": "大雨のときに水位を知りたい",
        "fields": ["safety"],
        "technologies": ["ｾﾝｻｰ", "IoT"],
        "municipalities": ["271403"],
        "stage": "poc",
        "vector": np.eye(384, dtype=np.float32)[0],
    }
    values.update(overrides)
    return Profile(**values)


def test_match_body_names_every_clause_and_filters():
    """One bool query: kNN, saturated more-like-this and constant scores, each named; hard filters."""
    query = build_query(_source(), centroids={}, exclude={"solution:9"})
    body = match_body(query, size=10)
    inner = body["query"]["function_score"]["query"]["bool"]
    filters = [{"term": {"doc_type": "solution"}}]
    assert inner["filter"] == filters
    assert inner["must_not"] == [{"ids": {"values": ["challenge:5", "solution:9"]}}]
    assert inner["minimum_should_match"] == 1
    named = {
        clause.get(kind, {}).get("_name"): clause
        for clause in inner["should"]
        for kind in ("knn", "script_score", "constant_score")
        if kind in clause
    }
    assert set(named) == {
        "text",
        "semantic",
        "same_field",
        "shared_technology.0",
        "shared_technology.1",
        "same_municipality",
        "stage_fit",
    }
    knn = named["semantic"]["knn"]
    assert knn["field"] == "vector" and knn["k"] == 100 and knn["num_candidates"] == 200
    assert knn["boost"] == 2.0 and knn["filter"] == filters
    assert knn["query_vector"][:2] == [1.0, 0.0] and len(knn["query_vector"]) == 384
    text = named["text"]["script_score"]
    assert text["query"]["more_like_this"] == {
        "fields": [
            "title",
            "summary",
            "description",
            "title.words",
            "summary.words",
            "description.words",
        ],
        "like": "ため池の水位を見守りたい 大雨のときに水位を知りたい",
        "max_query_terms": 32,
        "min_term_freq": 1,
        "min_doc_freq": 1,
    }
    assert text["script"] == {
        "source": "params.w * _score / (_score + params.k)",
        "params": {"w": 0.05, "k": 10.0},
    }
    assert named["shared_technology.0"]["constant_score"] == {
        "filter": {"term": {"technology_keys": "センサー"}},
        "boost": 0.015,
        "_name": "shared_technology.0",
    }
    assert named["same_field"]["constant_score"]["filter"] == {"terms": {"fields": ["safety"]}}
    assert named["stage_fit"]["constant_score"]["filter"] == {
        "terms": {"stage": ["poc_ready", "in_service"]}
    }
    functions = body["query"]["function_score"]["functions"]
    assert functions[0]["gauss"]["published_at"] == {
        "origin": "now",
        "offset": "90d",
        "scale": "365d",
        "decay": 0.5,
    }
    assert functions[0]["weight"] == pytest.approx(0.1) and functions[1] == {"weight": 0.9}
    assert body["query"]["function_score"]["boost_mode"] == "multiply"


def test_closed_challenges_are_filtered_when_solutions_look_for_challenges():
    """From a solution, closed challenges are excluded by a filter on status."""
    query = build_query(_source(id="solution:3", kind="solution", stage="in_service"), centroids={})
    body = match_body(query)
    inner = body["query"]["function_score"]["query"]["bool"]
    assert {"bool": {"must_not": {"term": {"status": "closed"}}}} in inner["filter"]
    stage = next(
        c for c in inner["should"] if c.get("constant_score", {}).get("_name") == "stage_fit"
    )
    assert stage["constant_score"]["filter"] == {"terms": {"stage": ["poc", "implementation"]}}


def test_text_only_baseline_uses_the_plain_fields():
    """The baseline is a plain multi_match on the synonym-free sub-fields, nothing else."""
    body = match_body(build_query(_source(), centroids={}, text_only=True))
    must = body["query"]["bool"]["must"]["multi_match"]
    assert must["fields"] == ["title.plain^3", "summary.plain^2", "description.plain^1"]
    assert must["type"] == "most_fields"
    assert "function_score" not in body["query"]


def test_response_becomes_suggestions_with_reasons():
    """Named clause scores become reasons with details; highlights become the shared phrases."""
    query = build_query(_source(), centroids={})
    response = {
        "hits": {
            "hits": [
                {
                    "_id": "solution:7",
                    "_score": 1.43,
                    "_source": {
                        "doc_type": "solution",
                        "object_id": 7,
                        "title": "水位センサーで見守り",
                        "summary": "ため池の水位",
                        "fields": ["safety", "infrastructure"],
                        "technology_keys": ["iot", "センサー"],
                        "municipalities": ["271403"],
                    },
                    "matched_queries": {
                        "semantic": 1.31,
                        "text": 0.03,
                        "same_field": 0.05,
                        "shared_technology.0": 0.015,
                        "shared_technology.1": 0.015,
                        "same_municipality": 0.02,
                    },
                    "highlight": {
                        "title.words": ["<em>水位</em><em>センサー</em>で<em>見守り</em>"],
                        "summary.words": ["<em>ため池</em>の<em>水位</em>"],
                    },
                }
            ]
        }
    }
    [suggestion] = parse_match_response(response, query)
    assert suggestion.doc_id == "solution:7" and suggestion.score == pytest.approx(1.43)
    reasons = {r.clause: r for r in suggestion.reasons}
    assert list(reasons)[0] == "semantic"
    assert reasons["shared_technology"].score == pytest.approx(0.03)
    assert reasons["shared_technology"].detail == "iot, センサー"
    assert reasons["same_field"].detail == "safety"
    assert reasons["same_municipality"].detail == "271403"
    # Whole words only, neighbours joined: the marked words of the words sub-fields.
    assert suggestion.phrases == ["水位センサー", "ため池", "見守り"]
    assert reasons["text"].detail == "水位センサー、ため池、見守り"
    assert parse_match_response({"hits": {"hits": []}}, query) == []


def test_matcher_sends_the_body_and_asks_for_clause_scores():
    """The request goes to the alias with include_named_queries_score and the built body."""
    client = recording_client()
    RecordingNode.responses[("POST", f"/{alias_name()}/_search")] = (200, {"hits": {"hits": []}})
    matcher = ElasticsearchMatcher(client, alias_name(), centroids={})
    assert matcher.suggest(_source(), limit=5) == []
    [request] = RecordingNode.requests
    assert "include_named_queries_score=true" in request["target"]
    sent = decoded(request)
    assert sent["size"] == 5
    assert sent == match_body(build_query(_source(), centroids={}), size=5)


def test_throwaway_index_is_created_filled_and_always_deleted():
    """Evaluation loads labelled profiles into a fresh index and deletes it, even after an error."""
    client = recording_client()
    RecordingNode.responses[("PUT", "/_bulk")] = (200, {"errors": False, "items": []})
    profiles = [
        _source(id="c1", vector=np.eye(384, dtype=np.float32)[1]),
        _source(id="s1", kind="solution", title="Water level sensors", language="en"),
    ]
    with pytest.raises(RuntimeError), throwaway_matcher(profiles, client=client) as matcher:
        assert matcher.index.startswith(f"{alias_name()}-evaluation-")
        raise RuntimeError("stop")
    methods = [(r["method"], r["path"]) for r in RecordingNode.requests]
    assert methods[0] == ("PUT", f"/{matcher.index}")
    assert ("PUT", "/_bulk") in methods
    assert methods[-1] == ("DELETE", f"/{matcher.index}")
    bulk = decoded(next(r for r in RecordingNode.requests if r["path"] == "/_bulk"))
    assert bulk[0] == {"index": {"_index": matcher.index, "_id": "c1"}}
    assert bulk[3]["language"] == "en" and len(bulk[3]["vector"]) == 384


@pytest.mark.django_db
def test_unreachable_cluster_falls_back_to_the_embedded_matcher(settings, monkeypatch):
    """When Elasticsearch fails, suggestions still come, from the stored index in process."""
    from elastic_transport import ConnectionError as TransportConnectionError

    from matching import backends
    from matching.backends import embedded

    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://es.test:9200"
    calls = []

    def failing(self, source, **kwargs):
        raise TransportConnectionError("refused")

    monkeypatch.setattr(ElasticsearchMatcher, "suggest", failing)
    monkeypatch.setattr(
        embedded.EmbeddedMatching,
        "suggest",
        lambda self, doc_id, **kwargs: calls.append(doc_id) or ["from the embedded store"],
    )
    from search.models import IndexedDocument

    IndexedDocument.objects.create(
        doc_type="challenge", object_id=5, title="ため池", content_hash="x"
    )
    assert backends.get_matching().suggest("challenge:5") == ["from the embedded store"]
    assert calls == ["challenge:5"]
