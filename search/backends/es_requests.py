"""The request bodies the Elasticsearch backend sends for the search page, and how it reads
the answers: the bodies are plain dicts, so tests assert them exactly and parse recorded
responses without a cluster."""

from dataclasses import dataclass, field

from search.backends.base import FACETS, SearchPage, SearchQuery
from search.query_units import query_units


@dataclass
class Hit:
    """A search result in the shape the search page reads."""

    doc_type: str
    object_id: int
    title: str
    summary: str = ""
    description: str = ""
    fields: list = field(default_factory=list)
    url: str = ""
    highlights: dict = field(default_factory=dict)  # field → fragments, HTML-escaped with <mark>


# Fragments come back HTML-escaped with only <mark> added, so the page can show them as they are.
HIGHLIGHT = {
    "encoder": "html",
    "pre_tags": ["<mark>"],
    "post_tags": ["</mark>"],
    "fields": {
        "title": {"number_of_fragments": 0},
        "summary": {"fragment_size": 160, "number_of_fragments": 1},
        "description": {"fragment_size": 160, "number_of_fragments": 1},
    },
}


# The text fields a search reads: bigrams and whole words, with the search page's boosts.
TEXT_SEARCH_FIELDS = [
    "title^3",
    "summary^2",
    "description",
    "title.words^3",
    "summary.words^2",
    "description.words",
]
# The English sub-fields (stemmed) join for a Latin part only: on Japanese text their
# tokenizer splits into single characters, which would find a part's characters anywhere.
ENGLISH_SEARCH_FIELDS = ["title.en^2", "summary.en", "description.en"]


def unit_clause(unit: str) -> dict:
    """One part of the query, found when one field holds all of its tokens (the search-time
    synonym graph lets a glossary equivalent stand for it), as the embedded backend finds it."""
    fields = TEXT_SEARCH_FIELDS + (ENGLISH_SEARCH_FIELDS if unit.isascii() else [])
    return {
        "multi_match": {
            "query": unit,
            "fields": fields,
            "type": "most_fields",
            "operator": "and",
        }
    }


def _parts_clause(clauses: list[dict], any_part: bool) -> list[dict]:
    if not any_part:
        return clauses
    return [{"bool": {"should": clauses, "minimum_should_match": 1}}]


def search_body(
    query: str, doc_types: tuple[str, ...], *, size: int = 500, any_part: bool = False
) -> dict:
    """The request body of a free-text search over the text fields and their English sub-fields.

    Every part of the query must be found (search.query_units), or one of them with
    ``any_part``, each scored over the fields that hold it. The page filters, counts facets and paginates over these candidates
    after checking each against the database, so enough are asked for to cover every match on
    this site's scale; descriptions are not fetched, their matching fragment comes as a
    highlight.
    """
    return {
        "size": size,
        "query": {
            "bool": {
                "must": _parts_clause([unit_clause(unit) for unit in query_units(query)], any_part),
                "filter": [{"terms": {"doc_type": list(doc_types)}}],
            }
        },
        "_source": ["doc_type", "object_id", "title", "summary", "fields", "url"],
        "highlight": HIGHLIGHT,
    }


def parse_hits(response: dict) -> list[tuple[Hit, float]]:
    """Turn a search response into (hit, score) pairs, with highlight fragments when present."""
    results = []
    for hit in response.get("hits", {}).get("hits", []):
        source = hit["_source"]
        results.append(
            (
                Hit(
                    doc_type=source["doc_type"],
                    object_id=int(source["object_id"]),
                    title=source.get("title", ""),
                    summary=source.get("summary", ""),
                    description=source.get("description", ""),
                    fields=source.get("fields", []),
                    url=source.get("url", ""),
                    highlights={
                        name: list(fragments)
                        for name, fragments in (hit.get("highlight") or {}).items()
                        if fragments
                    },
                ),
                float(hit.get("_score") or 0.0),
            )
        )
    return results


# The search page's facets as index fields; technologies are indexed by their Japanese name.
FACET_FIELDS = {
    "type": "doc_type",
    "field": "fields",
    "municipality": "municipalities",
    "technology": "technologies",
    "sdg": "sdgs",
    "theme": "themes",
    "dataset": "datasets",
    "status": "status",
}

# More buckets than any facet has values (44 municipalities, 27 technologies, 17 goals).
FACET_SIZE = 200


def _facet_clause(name: str, value: str, technology_names: dict[str, str]) -> dict:
    if name == "technology":
        value = technology_names.get(value, value)
    return {"term": {FACET_FIELDS[name]: value}}


def page_body(query: SearchQuery, technology_names: dict[str, str]) -> dict:
    """The request body of one search page: hits, total and facet counts, all in the cluster.

    Withdrawn entries (``query.hidden``) are excluded from the query itself, so neither hits
    nor aggregations see them. Facet choices are a post_filter: each facet's aggregation
    applies the other facets' choices only, so a count equals what choosing it lists, and
    ``matched`` counts the hits before any choice.
    """
    chosen = {
        name: _facet_clause(name, value, technology_names)
        for name, value in query.filters.items()
        if name in FACET_FIELDS
    }
    body = search_body(query.text, query.doc_types, size=query.limit, any_part=query.any_part)
    body["from"] = query.offset
    body["track_total_hits"] = True
    if query.hidden:
        ids = sorted(f"{doc_type}:{object_id}" for doc_type, object_id in query.hidden)
        body["query"]["bool"]["must_not"] = [{"ids": {"values": ids}}]
    if chosen:
        body["post_filter"] = {"bool": {"filter": list(chosen.values())}}
    body["aggs"] = {
        "matched": {"filter": {"match_all": {}}},
        **{
            name: {
                "filter": {"bool": {"filter": [c for other, c in chosen.items() if other != name]}},
                "aggs": {"values": {"terms": {"field": FACET_FIELDS[name], "size": FACET_SIZE}}},
            }
            for name in FACETS
        },
    }
    return body


def parse_page(response: dict, technology_slugs: dict[str, str]) -> SearchPage:
    """Turn a page's response into hits, the total and facet counts (technologies by slug)."""
    aggregations = response.get("aggregations") or {}
    facets: dict[str, dict[str, int]] = {}
    for name in FACETS:
        buckets = (aggregations.get(name) or {}).get("values", {}).get("buckets", [])
        counts = {str(b["key"]): int(b["doc_count"]) for b in buckets if b.get("doc_count")}
        if name == "technology":
            counts = {technology_slugs[k]: n for k, n in counts.items() if k in technology_slugs}
        facets[name] = counts
    total = (response.get("hits") or {}).get("total") or {}
    return SearchPage(
        hits=parse_hits(response),
        total=int(total.get("value", 0)) if isinstance(total, dict) else int(total),
        matched=int((aggregations.get("matched") or {}).get("doc_count", 0)),
        facets=facets,
    )
