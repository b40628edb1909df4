"""A percolator index: stored queries, and which of them match a given document.

The matching layer stores saved interests here as query bodies it builds itself; this module
knows only query ids, their versions and the fields a percolated document carries, so search
never imports matching. The text field is defined with the documents index's own analyzers
(imported from the Elasticsearch backend), so a stored keyword matches the way a search
would: width variants, case and the shared synonyms included.
"""

from django.conf import settings

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, helpers
from elasticsearch.dsl import Document, Index, Keyword, Long, Percolator

from search.analysis import normalise

# The documents index's analyzers (defining the text field the same way keeps one analysis)
# and the versioned-index helpers both indices use.
from search.backends.elasticsearch import (
    _text,
    alias_ensure,
    alias_replace,
    new_client,
    versioned_index,
)

# Field names a stored query may refer to.
TEXT = "text"
FIELDS = "fields"
TECHNOLOGIES = "technologies"
MUNICIPALITIES = "municipalities"


class PercolatorUnavailable(Exception):
    """Elasticsearch could not store or run the queries; the caller decides how to degrade."""


class StoredQuery(Document):
    """One stored query with its id and version, and the fields documents are matched on."""

    query = Percolator()
    query_id = Long()
    version = Keyword()
    text = _text()
    fields = Keyword()
    technologies = Keyword()
    municipalities = Keyword()


def percolator_alias() -> str:
    """The alias every read and write of stored queries goes through."""
    return f"{getattr(settings, 'ELASTICSEARCH_INDEX_PREFIX', 'forum')}-percolator"


def new_percolator_index(name: str) -> Index:
    """The definition of a fresh versioned percolator index."""
    return versioned_index(name, StoredQuery)


def percolator_document(document: dict) -> dict:
    """The part of an index document (search.documents) that stored queries are matched on.

    Text is folded the way search.analysis folds it (NFKC, lower case) before it is sent, so
    the cluster and the embedded rule see the same characters.
    """
    text = "\n".join(
        part for part in (document.get(k, "") for k in ("title", "summary", "description")) if part
    )
    return {
        TEXT: normalise(text),
        FIELDS: list(document.get("fields", [])),
        TECHNOLOGIES: list(document.get("technologies", [])),
        MUNICIPALITIES: list(document.get("municipalities", [])),
    }


def _guarded(method):
    """Turn client and transport errors into PercolatorUnavailable."""

    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (ApiError, TransportError, helpers.BulkIndexError, helpers.ScanError) as exc:
            raise PercolatorUnavailable(str(exc)) from exc

    wrapper.__doc__ = method.__doc__
    wrapper.__name__ = method.__name__
    return wrapper


class PercolatorIndex:
    """Stores, lists, deletes and runs queries through the alias; rebuilds swap the alias."""

    def __init__(self, client: Elasticsearch | None = None):
        self.client = client or new_client()

    @_guarded
    def ensure_alias(self) -> None:
        """Create a first versioned index behind the alias when there is none."""
        alias_ensure(self.client, percolator_alias(), new_percolator_index)

    @_guarded
    def store(self, query_id: int, query: dict, version: str) -> None:
        """Store (or replace) one query under its stable id."""
        self.client.index(
            index=percolator_alias(),
            id=str(query_id),
            document={"query": query, "query_id": query_id, "version": version},
        )

    @_guarded
    def delete(self, query_id: int) -> None:
        """Remove one query; a missing one is fine."""
        self.client.options(ignore_status=404).delete(index=percolator_alias(), id=str(query_id))

    @_guarded
    def refresh(self) -> None:
        """Make stored changes visible to the next percolation."""
        self.client.indices.refresh(index=percolator_alias())

    @_guarded
    def versions(self) -> dict[int, str]:
        """query id → version of everything stored."""
        return {
            int(hit["_source"]["query_id"]): hit["_source"]["version"]
            for hit in helpers.scan(
                self.client,
                index=percolator_alias(),
                query={"query": {"match_all": {}}, "_source": ["query_id", "version"]},
            )
        }

    @_guarded
    def percolate(self, document: dict) -> list[int]:
        """Ids of the stored queries that match the document (built by percolator_document)."""
        return sorted(
            int(hit["_source"]["query_id"])
            for hit in helpers.scan(
                self.client,
                index=percolator_alias(),
                query=percolate_body(document),
            )
        )

    @_guarded
    def replace_all(self, queries: dict[int, tuple[dict, str]]) -> None:
        """Load every query into a new index, then swap the alias to it and drop the old ones."""

        def actions(name: str):
            return (
                {
                    "_index": name,
                    "_id": str(query_id),
                    "_source": {"query": query, "query_id": query_id, "version": version},
                }
                for query_id, (query, version) in queries.items()
            )

        alias_replace(self.client, percolator_alias(), new_percolator_index, actions)


def percolate_body(document: dict) -> dict:
    """The request body that finds the stored queries matching one document."""
    return {
        "query": {"percolate": {"field": "query", "document": document}},
        "_source": ["query_id"],
    }
