import pytest

from matching.alerts import AlertDocument, InterestRule
from matching.backends import get_alert_matcher
from matching.backends.elasticsearch import PercolatorAlertMatcher
from matching.backends.embedded import EmbeddedAlertMatcher
from search.backends.percolator import PercolatorIndex, percolator_alias
from tests.matching.alert_cases import BRIDGE, CASES, evaluate_query
from tests.search.fake_elasticsearch import RecordingNode, decoded, recording_client

IDS = [case[0] for case in CASES]


@pytest.mark.parametrize(("name", "rule", "document", "expected"), CASES, ids=IDS)
def test_embedded_rule_decides_each_case(name, rule, document, expected):
    """In process, every filled criterion must hold; keywords fold width, case and synonyms."""
    assert rule.matches(AlertDocument.of(document)) is expected


@pytest.mark.parametrize(("name", "rule", "document", "expected"), CASES, ids=IDS)
def test_stored_query_agrees_with_the_embedded_rule(name, rule, document, expected):
    """The percolator query of a rule, read as Elasticsearch reads it, decides the same."""
    assert evaluate_query(rule.query(), document) is expected


def test_stored_query_is_a_filter_of_terms_and_keyword_matches():
    """The exact query stored for a rule: terms per structured criterion, any-of keyword matches."""
    rule = InterestRule(
        fields=frozenset({"safety", "infrastructure"}),
        technologies=frozenset({"ドローン"}),
        keywords=("ﾄﾞﾛｰﾝ 点検", "UAV"),
    )
    assert rule.query() == {
        "bool": {
            "filter": [
                {"terms": {"fields": ["infrastructure", "safety"]}},
                {"terms": {"technologies": ["ドローン"]}},
                {
                    "bool": {
                        "should": [
                            {
                                "match": {
                                    "text": {
                                        "query": "ドローン 点検",
                                        "operator": "and",
                                        "auto_generate_synonyms_phrase_query": False,
                                    }
                                }
                            },
                            {
                                "match": {
                                    "text": {
                                        "query": "uav",
                                        "operator": "and",
                                        "auto_generate_synonyms_phrase_query": False,
                                    }
                                }
                            },
                        ],
                        "minimum_should_match": 1,
                    }
                },
            ]
        }
    }
    assert InterestRule().query() == {"match_none": {}}


def test_version_follows_the_rule_not_the_object():
    """Equal rules share a version; any change of criteria gives a new one."""
    first = InterestRule(keywords=("ドローン",))
    assert first.version() == InterestRule(keywords=("ドローン",)).version()
    assert first.version() != InterestRule(keywords=("ドローン", "AI")).version()


def test_factory_follows_the_search_backend(settings):
    """SEARCH_BACKEND chooses where rules run; nothing else branches on it."""
    settings.SEARCH_BACKEND = "embedded"
    assert isinstance(get_alert_matcher(), EmbeddedAlertMatcher)
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://es.test:9200"
    assert isinstance(get_alert_matcher(), PercolatorAlertMatcher)


@pytest.mark.django_db
def test_embedded_matcher_returns_active_fitting_interests():
    """Only switched-on interests whose rule holds come back."""
    from matching.services import interest_set_active
    from tests.forum.helpers import company_member
    from tests.matching.helpers import save_interest

    user, _ = company_member()
    fitting = save_interest(user, name="a", keywords=["drone"])
    save_interest(user, name="b", fields=["health"])
    off = save_interest(user, name="c", technologies=["drone"])
    interest_set_active(actor=user, interest=off, active=False)
    assert EmbeddedAlertMatcher().matching_interest_ids(BRIDGE) == [fitting.pk]


def _scrolled(hits: list[dict]) -> tuple[int, dict]:
    return (
        200,
        {
            "_scroll_id": "s1",
            "_shards": {"total": 1, "successful": 1, "skipped": 0},
            "hits": {"hits": hits},
        },
    )


@pytest.mark.django_db
def test_percolator_matcher_reconciles_then_percolates():
    """Changed rules are stored, deleted ones removed, then the document is percolated."""
    from search.backends.percolator import percolate_body, percolator_document
    from tests.forum.helpers import company_member
    from tests.matching.helpers import save_interest

    user, _ = company_member()
    kept = save_interest(user, name="kept", keywords=["ドローン"])
    changed = save_interest(user, name="changed", fields=["infrastructure"])
    matcher = PercolatorAlertMatcher(PercolatorIndex(client=recording_client()))
    stored = [
        {"_source": {"query_id": kept.pk, "version": InterestRule.of(kept).version()}},
        {"_source": {"query_id": changed.pk, "version": "old"}},
        {"_source": {"query_id": 999999, "version": "gone"}},
    ]

    def search(request):
        body = decoded(request)
        return _scrolled(
            [{"_source": {"query_id": kept.pk}}] if "percolate" in str(body) else stored
        )

    RecordingNode.responses[("HEAD", f"/_alias/{percolator_alias()}")] = (200, {})
    RecordingNode.responses[("POST", f"/{percolator_alias()}/_search")] = search
    RecordingNode.responses[("POST", "/_search/scroll")] = _scrolled([])
    RecordingNode.responses[("DELETE", "/_search/scroll")] = (200, {"succeeded": True})

    assert matcher.matching_interest_ids(BRIDGE) == [kept.pk]

    writes = [
        (r["method"], r["path"])
        for r in RecordingNode.requests
        if r["method"] in ("PUT", "DELETE") and "/_doc/" in r["path"]
    ]
    assert writes == [
        ("PUT", f"/{percolator_alias()}/_doc/{changed.pk}"),
        ("DELETE", f"/{percolator_alias()}/_doc/999999"),
    ]
    put = next(r for r in RecordingNode.requests if r["path"].endswith(f"/_doc/{changed.pk}"))
    assert decoded(put) == {
        "query": InterestRule.of(changed).query(),
        "query_id": changed.pk,
        "version": InterestRule.of(changed).version(),
    }
    paths = [r["path"] for r in RecordingNode.requests]
    percolations = [
        number
        for number, r in enumerate(RecordingNode.requests)
        if r["path"] == f"/{percolator_alias()}/_search" and "percolate" in str(decoded(r))
    ]
    assert len(percolations) == 1
    assert paths.index(f"/{percolator_alias()}/_refresh") < percolations[0]
    assert decoded(RecordingNode.requests[percolations[0]]) == {
        **percolate_body(percolator_document(BRIDGE)),
        "sort": "_doc",
        "size": 1000,
    }
