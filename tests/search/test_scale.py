"""The search page at scale: constant work per page, a cheap snapshot check, incremental refresh."""

from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

import pytest

from forum.models import Challenge, Technology
from search.backends import get_store
from search.backends.embedded import current_snapshot
from search.documents import challenge_document
from search.services import index_rebuild
from tests.forum.proposal_fixtures import published_challenge

pytestmark = pytest.mark.django_db


def _drone_challenges(count: int, start: int = 0) -> list[Challenge]:
    drone = Technology.objects.get(slug="drone")
    made = []
    for number in range(start, start + count):
        challenge = published_challenge(
            "272051" if number % 2 else "271403",
            title=f"ドローンで橋を点検したい その{number}",
            summary="橋の点検を安全に",
            status=Challenge.Status.CLOSED if number % 3 == 0 else Challenge.Status.OPEN,
        )
        challenge.technologies.set([drone])
        made.append(challenge)
    return made


def _page(client, params):
    """The response and how many queries and Challenge rows it took."""
    loaded = []

    def count(sender, instance, **kwargs):
        loaded.append(instance.pk)

    post_init.connect(count, sender=Challenge)
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/search/", params)
    finally:
        post_init.disconnect(count, sender=Challenge)
    return response, len(queries), len(loaded)


def test_the_page_reads_the_same_number_of_rows_whatever_the_number_of_hits(client):
    """Twelve hits or thirty, the page runs the same queries and loads only the ten shown."""
    _drone_challenges(12)
    index_rebuild()
    current_snapshot()
    few, few_queries, few_rows = _page(client, {"q": "ドローン"})
    _drone_challenges(18, start=12)
    index_rebuild()
    current_snapshot()
    many, many_queries, many_rows = _page(client, {"q": "ドローン"})
    assert few.context["total"] == 12 and many.context["total"] == 30
    assert len(many.context["page_obj"].object_list) == 10
    assert few_queries == many_queries
    assert few_rows == many_rows == 10


def test_counts_and_filters_come_from_the_index_and_match_what_the_database_says(client):
    """Facet counts over thirty hits equal the rows clicking them lists, checked against the database."""
    made = _drone_challenges(30)
    index_rebuild()
    response = client.get("/search/", {"q": "ドローン"})
    facets = {f.name: {o.value: o.count for o in f.options} for f in response.context["facets"]}
    closed = sum(1 for c in made if c.status == Challenge.Status.CLOSED)
    assert facets["status"] == {"open": 30 - closed, "closed": closed}
    assert facets["municipality"] == {"271403": 15, "272051": 15}
    assert facets["technology"] == {"drone": 30}
    filtered = client.get("/search/", {"q": "ドローン", "status": "closed", "page": 2})
    assert filtered.context["total"] == closed
    shown = filtered.context["page_obj"].object_list
    assert all(item.visible.status == "closed" for item in shown)
    assert all(item.visible.meta for item in shown)  # labels read from the row of a shown result


def test_a_withdrawn_hit_is_neither_counted_nor_listed_before_the_index_catches_up(client):
    """Visibility is checked for every hit (ids only), not just the shown page."""
    made = _drone_challenges(12)
    index_rebuild()
    Challenge.objects.filter(pk=made[-1].pk).update(is_published=False)
    response = client.get("/search/", {"q": "ドローン"})
    assert response.context["total"] == 11
    facet = next(f for f in response.context["facets"] if f.name == "type")
    assert [o.count for o in facet.options] == [11]


def test_an_unchanged_index_is_checked_with_one_query(django_assert_num_queries):
    """No scan of the index per request: one read of the version token."""
    _drone_challenges(2)
    index_rebuild()
    current_snapshot()
    with django_assert_num_queries(1):
        current_snapshot()


def test_one_change_refreshes_only_that_entry(django_assert_max_num_queries):
    """After one document changed, the other entries and their vectors are taken over as they were."""
    first, second, third = _drone_challenges(3)
    index_rebuild()
    before = current_snapshot()
    Challenge.objects.filter(pk=second.pk).update(title="河川の水位を測りたい")
    get_store().upsert("challenge", second.pk, challenge_document(second.pk))
    with django_assert_max_num_queries(6):
        after = current_snapshot()
    assert after is not before
    assert after.entries[("challenge", first.pk)] is before.entries[("challenge", first.pk)]
    assert after.entries[("challenge", third.pk)] is before.entries[("challenge", third.pk)]
    assert after.entries[("challenge", second.pk)].title == "河川の水位を測りたい"
    index = after.indices["challenge"]
    assert index.score_array(["河川"])[index.position[str(second.pk)]] > 0
    get_store().delete("challenge", third.pk)
    assert ("challenge", third.pk) not in current_snapshot().entries


def test_rebuild_after_one_change_rewrites_only_that_entry():
    """rebuild_index compares hashes: the unchanged entries stay as they were stored."""
    from search.models import IndexedDocument

    first, second = _drone_challenges(2)
    index_rebuild()
    before = {e.object_id: (e.pk, e.indexed_at) for e in IndexedDocument.objects.all()}
    Challenge.objects.filter(pk=second.pk).update(title="河川の水位を測りたい")
    Challenge.objects.filter(pk=first.pk).update(is_published=False)
    index_rebuild()
    after = {e.object_id: e for e in IndexedDocument.objects.all()}
    assert set(after) == {second.pk}
    assert after[second.pk].title == "河川の水位を測りたい"
    assert (after[second.pk].pk, after[second.pk].indexed_at) != before[second.pk]


def test_rebuild_with_vectors_later_and_no_queue_computes_no_vector_in_process(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Without a broker, --vectors-later leaves the vectors to a worker and says so."""
    from io import StringIO

    from django.core.management import call_command

    from search.models import DocumentVector

    settings.SEARCH_VECTORS = False
    _drone_challenges(2)
    settings.SEARCH_VECTORS = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    encoded = []
    monkeypatch.setattr("search.services.encode", lambda texts: encoded.extend(texts))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_index", vectors_later=True, stdout=out)
    assert "challenge: 2 documents indexed" in out.getvalue()
    assert "2 documents wait for their sentence vector: no task queue is configured" in (
        out.getvalue()
    )
    assert encoded == [] and not DocumentVector.objects.exists()
