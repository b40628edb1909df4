"""Where matching queries run, chosen by SEARCH_BACKEND through this factory.

Embedded: the in-process Matcher over the stored index (the snapshot the search page reads
too). Elasticsearch: the same query sent to the cluster. Callers ask for suggestions by
document id and never branch on the backend.
"""

import logging

from django.conf import settings

from elastic_transport import TransportError
from elasticsearch import ApiError

from matching.engine import Matcher
from matching.query import Profile, Suggestion
from search.models import DocumentVector, IndexedDocument, VectorCentroid

logger = logging.getLogger(__name__)
_cache: dict = {}


def profile_of(entry: IndexedDocument, vector=None) -> Profile:
    """A stored index entry as matching sees it."""
    return Profile(
        id=f"{entry.doc_type}:{entry.object_id}",
        kind=entry.doc_type,
        title=entry.title,
        summary=entry.summary,
        description=entry.description,
        fields=list(entry.fields),
        technologies=list(entry.technologies),
        municipalities=list(entry.municipalities),
        stage=entry.stage,
        status=entry.status,
        language=entry.language or "ja",
        published_at=entry.published_at,
        vector=vector,
    )


def site_matcher() -> tuple[Matcher, dict[str, IndexedDocument]]:
    """The matcher over the stored index, rebuilt in this process when the snapshot changes."""
    from search.backends.embedded import current_snapshot

    snapshot = current_snapshot()
    if _cache.get("key") != snapshot.key:
        profiles, entries = [], {}
        for doc_type in ("challenge", "solution"):
            for entry in snapshot.ordered.get(doc_type, []):
                profile = profile_of(entry, snapshot.vectors.get(entry.vector_key))
                profiles.append(profile)
                entries[profile.id] = entry
        _cache.update(
            key=snapshot.key,
            matcher=Matcher(
                profiles, centroids=snapshot.centroids or None, indices=snapshot.indices
            ),
            entries=entries,
        )
    return _cache["matcher"], _cache["entries"]


class EmbeddedMatching:
    """Suggestions computed in process; one instance reads the site's matcher once."""

    def __init__(self):
        self._matcher = None

    def suggest(self, doc_id: str, *, limit: int = 10, exclude=frozenset()) -> list[Suggestion]:
        """Counterparts of the stored document `doc_id` ("challenge:5")."""
        if self._matcher is None:
            self._matcher, _ = site_matcher()
        matcher = self._matcher
        source = matcher.profiles.get(doc_id)
        if source is None:
            return []
        return matcher.suggest(source, limit=limit, exclude=exclude)


class ElasticsearchMatching:
    """Suggestions computed by the cluster, with the source read from the stored index; one
    instance makes its client and reads the centroids once."""

    def __init__(self):
        self._matcher = None

    def suggest(self, doc_id: str, *, limit: int = 10, exclude=frozenset()) -> list[Suggestion]:
        """Counterparts of the stored document `doc_id` ("challenge:5")."""
        from matching.elasticsearch import ElasticsearchMatcher
        from search.backends.elasticsearch import alias_name, new_client

        doc_type, _, object_id = doc_id.partition(":")
        entry = IndexedDocument.objects.filter(doc_type=doc_type, object_id=object_id).first()
        if entry is None:
            return []
        vector = DocumentVector.objects.vectors_of([entry.vector_key]).get(entry.vector_key)
        source = profile_of(entry, vector)
        if self._matcher is None:
            self._matcher = ElasticsearchMatcher(
                new_client(), alias_name(), centroids=VectorCentroid.objects.vectors()
            )
        try:
            return self._matcher.suggest(source, limit=limit, exclude=exclude)
        except (ApiError, TransportError) as exc:
            # The stored index is always complete: suggestions stay available in process.
            logger.warning("Elasticsearch matching failed (%s); using the embedded matcher.", exc)
            return EmbeddedMatching().suggest(doc_id, limit=limit, exclude=exclude)


def get_matching():
    """The configured matching backend."""
    if getattr(settings, "SEARCH_BACKEND", "embedded") == "elasticsearch":
        return ElasticsearchMatching()
    return EmbeddedMatching()
