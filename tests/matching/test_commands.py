from io import StringIO

from django.core.management import CommandError, call_command

import pytest

pytestmark = pytest.mark.django_db


def test_rebuild_alert_index_has_nothing_to_do_embedded(settings):
    """Without Elasticsearch the rules run in process, so the command says so and stops."""
    settings.SEARCH_BACKEND = "embedded"
    out = StringIO()
    call_command("rebuild_alert_index", stdout=out)
    assert "nothing to rebuild" in out.getvalue()


def test_rebuild_alert_index_reports_an_unreachable_cluster(settings):
    """With the cluster down the command fails with a clear message instead of a traceback."""
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    with pytest.raises(CommandError, match="Elasticsearch is unavailable"):
        call_command("rebuild_alert_index", stdout=StringIO())


def test_rebuild_alert_index_loads_every_active_rule(settings, monkeypatch):
    """Each active, non-empty rule is bulk-written to the fresh percolator index."""
    from search.backends.percolator import PercolatorIndex
    from tests.forum.helpers import company_member
    from tests.matching.helpers import save_interest
    from tests.search.fake_elasticsearch import RecordingNode, decoded, recording_client

    settings.SEARCH_BACKEND = "elasticsearch"
    user, _ = company_member()
    first = save_interest(user, keywords=["ドローン"])
    second = save_interest(user, fields=["health"])
    client = recording_client()
    monkeypatch.setattr(
        "matching.backends.elasticsearch.PercolatorIndex", lambda: PercolatorIndex(client=client)
    )
    RecordingNode.responses[("PUT", "/_bulk")] = (200, {"errors": False, "items": []})
    out = StringIO()
    call_command("rebuild_alert_index", stdout=out)
    bulk = decoded(next(r for r in RecordingNode.requests if r["path"] == "/_bulk"))
    assert {line["query_id"] for line in bulk if "query_id" in line} == {first.pk, second.pk}
    assert "2 alert rules" in out.getvalue()
