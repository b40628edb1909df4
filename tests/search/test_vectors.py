"""Sentence vectors: computed once per text in the background, reused, centred, never blocking."""

import re

from django.core.management import call_command
from django.utils import timezone

import numpy as np
import pytest

from matching.backends import get_matching
from matching.backends.embedded import site_matcher
from search import vectors as vectors_module
from search.models import DocumentVector, IndexedDocument, VectorCentroid
from search.services import index_rebuild, vector_centroids_refresh, vectors_fill
from search.vectors import centred, from_bytes
from tests.search.test_index_sync import _publish_solution

pytestmark = pytest.mark.django_db


@pytest.fixture
def encode_calls(monkeypatch):
    """Count the texts the model is asked to embed (the per-process memo emptied first)."""
    from search.services import _recent_vectors

    _recent_vectors.clear()
    calls = []
    original = vectors_module.encode

    def counting(texts):
        calls.extend(texts)
        return original(texts)

    monkeypatch.setattr("search.services.encode", counting)
    return calls


def test_published_document_gets_its_vector_after_commit(
    django_capture_on_commit_callbacks, encode_calls
):
    """The index entry is written at once; the vector task then stores its vector and centroid."""
    with django_capture_on_commit_callbacks(execute=True):
        _, _, solution = _publish_solution()
    entry = IndexedDocument.objects.get(doc_type="solution", object_id=solution.pk)
    stored = DocumentVector.objects.get(key=entry.vector_key)
    assert from_bytes(stored.vector).shape == (384,)
    assert encode_calls == ["水位センサー\n見守り"]
    assert VectorCentroid.objects.filter(language="ja").exists()


def test_rebuild_reuses_stored_vectors(django_capture_on_commit_callbacks, encode_calls):
    """A rebuild of unchanged documents computes no vector again."""
    with django_capture_on_commit_callbacks(execute=True):
        _publish_solution()
    encode_calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        index_rebuild()
    assert encode_calls == []
    assert vectors_fill() == 0


def test_edited_text_gets_a_new_vector_and_the_old_one_stays_cached(
    django_capture_on_commit_callbacks, encode_calls
):
    """Changing the text changes the vector key; the new text is embedded, nothing else."""
    from forum.services.solutions import solution_update

    with django_capture_on_commit_callbacks(execute=True):
        user, _, solution = _publish_solution()
    old_key = IndexedDocument.objects.get(object_id=solution.pk).vector_key
    encode_calls.clear()
    with django_capture_on_commit_callbacks(execute=True):
        solution_update(actor=user, solution=solution, summary="河川の水位を見守る")
    entry = IndexedDocument.objects.get(object_id=solution.pk)
    assert entry.vector_key != old_key
    assert encode_calls == ["水位センサー\n河川の水位を見守る"]
    assert DocumentVector.objects.filter(key__in=[old_key, entry.vector_key]).count() == 2


def test_without_the_model_documents_are_indexed_and_matched_by_text(
    settings, django_capture_on_commit_callbacks
):
    """With vectors off, publishing still indexes, and suggestions carry no semantic reason."""
    from tests.forum.proposal_fixtures import published_challenge

    settings.SEARCH_VECTORS = False
    with django_capture_on_commit_callbacks(execute=True):
        _publish_solution()
        challenge = published_challenge(
            title="水位を見守りたい", summary="センサーで水位を知りたい"
        )
        index_rebuild()
    assert not DocumentVector.objects.exists()
    suggestions = get_matching().suggest(f"challenge:{challenge.pk}")
    assert suggestions and "semantic" not in {r.clause for s in suggestions for r in s.reasons}


def test_site_matcher_centres_with_the_stored_centroids(django_capture_on_commit_callbacks):
    """The matcher compares vectors after taking away the stored centroid of their language."""
    with django_capture_on_commit_callbacks(execute=True):
        _, _, solution = _publish_solution()
    matcher, _ = site_matcher()
    side = matcher.sides["solution"]
    position = side.position[f"solution:{solution.pk}"]
    entry = IndexedDocument.objects.get(object_id=solution.pk)
    raw = from_bytes(DocumentVector.objects.get(key=entry.vector_key).vector)
    centroid = {"ja": from_bytes(VectorCentroid.objects.get(language="ja").vector)}
    centroid[""] = from_bytes(VectorCentroid.objects.get(language="").vector)
    assert np.allclose(side.vectors[position], centred(raw, "ja", centroid), atol=1e-5)


def test_moved_centroids_are_pushed_again_to_every_backend(
    django_capture_on_commit_callbacks, monkeypatch
):
    """When a refresh moves the centroids, every stored vector is handed to the backends again."""
    from search.backends.embedded import EmbeddedBackend

    with django_capture_on_commit_callbacks(execute=True):
        _publish_solution()
    pushed = []
    monkeypatch.setattr(EmbeddedBackend, "vectors_update", lambda self, items: pushed.extend(items))
    assert vector_centroids_refresh() is False  # nothing changed since the last estimate
    VectorCentroid.objects.filter(language="ja").update(vector=np.zeros(384, "<f4").tobytes())
    from search.tasks import vector_centroids_refresh_task

    assert vector_centroids_refresh_task() is True
    assert len(pushed) == 1 and pushed[0][0] == "solution"


def test_rebuild_command_reports_vector_progress(django_capture_on_commit_callbacks, settings):
    """rebuild_index computes missing vectors itself and says how far it got."""
    from io import StringIO

    settings.SEARCH_VECTORS = False
    with django_capture_on_commit_callbacks(execute=True):
        _publish_solution()
    settings.SEARCH_VECTORS = True
    out = StringIO()
    call_command("rebuild_index", stdout=out)
    text = out.getvalue()
    assert "solution: 1 documents indexed" in text
    assert re.search(r"vectors\s+\[#+\] 1/1", text)
    assert DocumentVector.objects.count() == 1


def test_a_new_snapshot_analyses_only_changed_entries(
    django_capture_on_commit_callbacks, monkeypatch
):
    """After one entry changes, the next snapshot analyses that entry and reuses the others."""
    import search.analysis
    import search.backends.embedded
    from search.backends.embedded import current_snapshot, index_version_bump

    with django_capture_on_commit_callbacks(execute=True):
        _publish_solution()
        _publish_solution()
    current_snapshot()
    analysed = []
    original = search.analysis.analyze_fields

    def counting(texts, **kwargs):
        analysed.extend(texts.values())
        return original(texts, **kwargs)

    monkeypatch.setattr(search.backends.embedded, "analyze_fields", counting)
    entry = IndexedDocument.objects.filter(doc_type="solution").first()
    IndexedDocument.objects.filter(pk=entry.pk).update(
        title="河川の水位センサー", content_hash="new", indexed_at=timezone.now()
    )
    index_version_bump()  # what every writer of the store does
    snapshot = current_snapshot()
    assert analysed == ["河川の水位センサー", "見守り", ""]
    index = snapshot.indices["solution"]
    assert index.score_array(["河川"])[index.position[str(entry.object_id)]] > 0
    # The word sub-field holds the analyser's whole words, normalised (センサー → センサ).
    assert (
        index.score_array(["センサ"], fields=("title.words",))[index.position[str(entry.object_id)]]
        > 0
    )
