"""The search page at scale: constant work per page, a cheap snapshot check, incremental refresh."""

from django.db import connection, transaction
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from forum.models import (
    Challenge,
    Field,
    Municipality,
    Organisation,
    Project,
    SdgGoal,
    SolutionProfile,
    Technology,
)
from search.backends import get_store
from search.backends.embedded import current_snapshot
from search.documents import challenge_document
from search.models import IndexedDocument
from search.services import index_rebuild, index_refresh_changed, outbox_record
from tests.factories import OrganisationFactory
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


def _type_counts(response) -> dict[str, int]:
    facet = next(f for f in response.context["facets"] if f.name == "type")
    return {o.value: o.count for o in facet.options}


def _shown(client, params) -> set[tuple[str, int]]:
    """(type, id) of every result listed over all pages."""
    shown, page = set(), 1
    while True:
        response = client.get("/search/", {**params, "page": page})
        page_obj = response.context["page_obj"]
        shown |= {(r.doc_type, int(r.entry.object_id)) for r in page_obj.object_list}
        if not page_obj.has_next():
            return shown
        page += 1


def test_a_withdrawn_hit_is_neither_counted_nor_listed_before_the_index_catches_up(client):
    """A withdrawal whose outbox row no worker has applied yet hides the entry from hits and counts."""
    made = _drone_challenges(12)
    index_rebuild()
    with transaction.atomic():  # as challenge_withdraw does: the row and its outbox note together
        Challenge.objects.filter(pk=made[-1].pk).update(is_published=False)
        outbox_record(doc_type="challenge", object_id=made[-1].pk)
    response = client.get("/search/", {"q": "ドローン"})
    assert response.context["total"] == 11
    assert _type_counts(response) == {"challenge": 11}
    assert ("challenge", made[-1].pk) not in _shown(client, {"q": "ドローン"})
    closed = client.get("/search/", {"q": "ドローン", "status": made[-1].status})
    assert closed.context["total"] == sum(1 for c in made[:-1] if c.status == made[-1].status)


def test_unpublished_and_private_objects_are_never_shown_or_counted(client):
    """Drafts, private projects and the solutions of an organisation not approved stay out."""
    published = _drone_challenges(2)
    draft = published_challenge(title="ドローンの下書き")
    Challenge.objects.filter(pk=draft.pk).update(is_published=False)
    safety = Field.objects.get(slug="safety")
    private = Project.objects.create(
        title="ドローンの実証", field=safety, stage="poc", is_public=False, case_study="ドローン"
    )
    public = Project.objects.create(
        title="ドローンの実装", field=safety, stage="poc", is_public=True, case_study="ドローン"
    )
    pending = OrganisationFactory(status=Organisation.Status.PENDING)
    approved = OrganisationFactory()
    hidden_solution, solution = (
        SolutionProfile.objects.create(
            organisation=organisation,
            title="ドローン点検サービス",
            summary="ドローン",
            is_published=True,
            published_at=timezone.now(),
        )
        for organisation in (pending, approved)
    )
    index_rebuild()
    response = client.get("/search/", {"q": "ドローン"})
    assert _type_counts(response) == {"challenge": 2, "project": 1, "solution": 1}
    assert response.context["total"] == 4
    assert _shown(client, {"q": "ドローン"}) == {
        *(("challenge", c.pk) for c in published),
        ("project", public.pk),
        ("solution", solution.pk),
    }
    assert ("project", private.pk) not in _shown(client, {"q": "ドローン", "type": "project"})
    assert hidden_solution.pk not in {pk for _, pk in _shown(client, {"q": "点検"})}


def test_facet_counts_equal_the_database_with_and_without_a_choice(client):
    """Every facet's counts, SDGs included, equal a count in the database of what they would list."""
    made = _drone_challenges(9)
    goals = {g.number: g for g in SdgGoal.objects.filter(number__in=[9, 11])}
    for number, challenge in enumerate(made):
        challenge.sdg_goals.set([goals[9]] if number % 2 else [goals[9], goals[11]])
    index_rebuild()
    published = Challenge.objects.filter(pk__in=[c.pk for c in made])

    def facets(params):
        response = client.get("/search/", {"q": "ドローン", **params})
        return response, {
            f.name: {o.value: o.count for o in f.options} for f in response.context["facets"]
        }

    response, counts = facets({})
    assert counts["sdg"] == {
        "9": published.filter(sdg_goals__number=9).count(),
        "11": published.filter(sdg_goals__number=11).count(),
    }
    assert counts["municipality"] == {
        m.code: published.filter(municipality=m).count()
        for m in Municipality.objects.filter(code__in=["271403", "272051"])
    }
    response, counts = facets({"sdg": "11"})
    eleven = published.filter(sdg_goals__number=11)
    assert response.context["total"] == eleven.count()
    assert counts["status"] == {
        status: eleven.filter(status=status).count()
        for status in set(eleven.values_list("status", flat=True))
    }
    assert (
        counts["sdg"]["9"] == published.filter(sdg_goals__number=9).count()
    )  # its own choice aside
    listed = _shown(client, {"q": "ドローン", "sdg": "11"})
    assert listed == {("challenge", pk) for pk in eleven.values_list("pk", flat=True)}


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


def test_rebuild_changed_picks_up_an_edit_and_a_deletion():
    """--changed rewrites the edited entry, drops the deleted and withdrawn ones, leaves the rest."""
    edited, recorded, withdrawn, deleted, untouched = _drone_challenges(5)
    index_rebuild()
    before = {e.object_id: (e.pk, e.indexed_at) for e in IndexedDocument.objects.all()}
    Challenge.objects.filter(pk=edited.pk).update(
        title="河川の水位を測りたい", updated_at=timezone.now()
    )
    with transaction.atomic():  # an edit whose outbox row no worker has applied yet
        Challenge.objects.filter(pk=recorded.pk).update(summary="避難所の混雑")
        outbox_record(doc_type="challenge", object_id=recorded.pk)
    Challenge.objects.filter(pk=withdrawn.pk).update(is_published=False)
    Challenge.objects.filter(pk=deleted.pk).delete()
    written = index_refresh_changed()
    assert written == {"challenge": 4, "solution": 0, "project": 0, "need": 0}
    after = {e.object_id: e for e in IndexedDocument.objects.all()}
    assert set(after) == {edited.pk, recorded.pk, untouched.pk}
    assert after[edited.pk].title == "河川の水位を測りたい"
    assert after[recorded.pk].summary == "避難所の混雑"
    assert (after[untouched.pk].pk, after[untouched.pk].indexed_at) == before[untouched.pk]
    assert index_refresh_changed() == {"challenge": 0, "solution": 0, "project": 0, "need": 0}
    from search.models import IndexOutbox

    assert not IndexOutbox.objects.filter(processed_at__isnull=True).exists()


def test_rebuild_changed_before_any_build_builds_everything():
    """With no build recorded, --changed has nothing to compare with and the full build runs."""
    from io import StringIO

    from django.core.management import call_command

    _drone_challenges(2)
    assert index_refresh_changed() is None
    out = StringIO()
    call_command("rebuild_index", changed=True, vectors_later=True, stdout=out)
    assert "challenge: 2 documents indexed" in out.getvalue()
    Challenge.objects.filter(is_published=True).update(is_published=False)
    out = StringIO()
    call_command("rebuild_index", changed=True, vectors_later=True, stdout=out)
    assert "challenge: 2 entries changed" in out.getvalue()
    assert not IndexedDocument.objects.filter(doc_type="challenge").exists()
