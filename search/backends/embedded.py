"""The embedded backend: index entries stored in the database, shared by every web process."""

import uuid

from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

import numpy as np

from forum.models import Technology
from search.analysis import (
    analyze,
    analyze_field,
    analyze_fields,
    analyze_like,
    synonym_group_terms,
)
from search.analysis_cache import tokens_read, tokens_write
from search.backends.base import FACETS, SearchBackend, SearchPage, SearchQuery
from search.bm25 import INDEX_FIELDS, TEXT_FIELDS, BM25Index
from search.models import DocumentVector, IndexedDocument, IndexVersion, VectorCentroid
from search.query_units import query_units

STORED = (
    "title",
    "summary",
    "description",
    "fields",
    "technologies",
    "municipalities",
    "facets",
    "stage",
    "status",
    "language",
    "published_at",
    "url",
    "vector_key",
    "content_hash",
)


class EmbeddedBackend(SearchBackend):
    """Writes and reads index entries in the site's database."""

    name = "embedded"

    def health(self) -> str:
        """A word on the store; raises (a database error) when its table cannot be read."""
        IndexedDocument.objects.only("pk").first()
        return "embedded"

    def search(self, query: str, *, doc_types: tuple[str, ...]):
        """Entries ranked for a free-text query: [(entry, score)]."""
        return search_entries(query, doc_types=doc_types)

    def search_page(self, query: SearchQuery) -> SearchPage:
        """One page of entries, the total and the facet counts, computed on the snapshot's arrays."""
        return search_page_entries(query)

    def upsert(self, doc_type: str, object_id: int, document: dict) -> None:
        """Store or replace one entry."""
        IndexedDocument.objects.update_or_create(
            doc_type=doc_type, object_id=object_id, defaults=_stored(document)
        )
        index_version_bump()

    def delete(self, doc_type: str, object_id: int) -> None:
        """Remove one entry if present."""
        if IndexedDocument.objects.filter(doc_type=doc_type, object_id=object_id).delete()[0]:
            index_version_bump()

    def hashes(self, doc_type: str) -> dict[int, str]:
        """object id → content hash of everything indexed of the type."""
        return dict(
            IndexedDocument.objects.filter(doc_type=doc_type).values_list(
                "object_id", "content_hash"
            )
        )

    def vectors_update(self, items: list[tuple[str, int, object]]) -> None:
        """New vectors were stored for these entries: mark them changed so snapshots reload."""
        for doc_type in {doc_type for doc_type, _, _ in items}:
            ids = [object_id for kind, object_id, _ in items if kind == doc_type]
            IndexedDocument.objects.filter(doc_type=doc_type, object_id__in=ids).update(
                indexed_at=timezone.now()
            )
        if items:
            index_version_bump()

    @transaction.atomic
    def replace_all(self, doc_type: str, documents: dict[int, dict]) -> None:
        """Swap the whole set of one type in a single transaction (readers never see it half built)."""
        IndexedDocument.objects.filter(doc_type=doc_type).delete()
        now = timezone.now()
        entries_insert(
            [
                IndexedDocument(
                    doc_type=doc_type, object_id=object_id, indexed_at=now, **_stored(doc)
                )
                for object_id, doc in documents.items()
            ]
        )
        index_version_bump()


def entries_insert(entries: list[IndexedDocument]) -> None:
    """Insert many new entries: PostgreSQL's COPY where available (several times faster than
    INSERTs of 500 rows at a time at 10,000 entries), bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        IndexedDocument.objects.bulk_create(entries, batch_size=500)
        return
    columns = [f for f in IndexedDocument._meta.concrete_fields if not f.primary_key]
    names = ", ".join(connection.ops.quote_name(f.column) for f in columns)
    table = connection.ops.quote_name(IndexedDocument._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for entry in entries:
            copy.write_row(
                [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in columns]
            )


def _tokens_of_unanalysed(entries) -> dict[str, dict]:
    """Tokens the shared cache holds for the entries this process has not analysed yet."""
    wanted = [
        e.content_hash
        for e in entries
        if (_analysed.get((e.doc_type, e.object_id)) or ("",))[0] != e.content_hash
    ]
    return tokens_read(wanted) if wanted else {}


def _stored(document: dict) -> dict:
    """The stored columns of a document (one built before facets existed has none)."""
    return {key: document.get(key, {}) if key == "facets" else document[key] for key in STORED}


class Snapshot:
    """The stored entries of this process, with their BM25 indices, sentence vectors and facets.

    Refreshed when any process changed the stored entries or the centroids (the version
    token changed), so every process serves the same index. A refresh reads only the entries
    whose content hash or stamp changed and the vectors it does not hold yet; the rest is
    taken over from the previous snapshot, and the term counts of unchanged entries are
    reused. The search page reads the indices and the facet columns; matching builds its
    sides on the same indices and vectors instead of analysing everything a second time.
    """

    def __init__(self, key, entries, *, previous: "Snapshot | None" = None):
        self.key = key
        self.entries = {(e.doc_type, e.object_id): e for e in entries}
        self.ordered: dict[str, list[IndexedDocument]] = {}
        self.indices: dict[str, BM25Index] = {}
        seen = set()
        stored_tokens = _tokens_of_unanalysed(entries)
        computed: dict[str, dict] = {}
        for entry in entries:
            self.ordered.setdefault(entry.doc_type, []).append(entry)
            index = self.indices.setdefault(
                entry.doc_type, BM25Index(INDEX_FIELDS, vocabulary=_vocabulary)
            )
            cache_key = (entry.doc_type, entry.object_id)
            seen.add(cache_key)
            cached = _analysed.get(cache_key)
            if cached is None or cached[0] != entry.content_hash:
                # Only new or changed entries are analysed; the rest reuse their term counts.
                analysed = stored_tokens.get(entry.content_hash)
                if analysed is None:
                    analysed = analyze_fields({name: getattr(entry, name) for name in TEXT_FIELDS})
                    computed[entry.content_hash] = analysed
                counts = {name: index.counts_of(tokens) for name, tokens in analysed.items()}
                cached = _analysed[cache_key] = (entry.content_hash, counts)
            index.add_counts(str(entry.object_id), cached[1])
        for gone in set(_analysed) - seen:
            del _analysed[gone]
        tokens_write(computed)
        known = previous.vectors if previous is not None else {}
        keys = {e.vector_key for e in entries if e.vector_key}
        self.vectors = {key: known[key] for key in keys if key in known}
        self.vectors.update(
            DocumentVector.objects.vectors_of(key for key in keys if key not in known)
        )
        self.centroids = VectorCentroid.objects.vectors()
        technology_slugs = dict(Technology.objects.values_list("name_ja", "slug"))
        self.columns = FacetArrays(self.ordered, technology_slugs)

    def stamp(self, doc_type: str, object_id: int) -> tuple | None:
        """What tells whether a stored entry changed since this snapshot: (hash, indexed at)."""
        entry = self.entries.get((doc_type, object_id))
        return None if entry is None else (entry.content_hash, entry.indexed_at)


def entry_facets(entry, technology_slugs: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """An entry's values per facet (technologies by slug), as the search page filters them."""
    values = {
        "field": tuple(entry.fields),
        "municipality": tuple(entry.municipalities),
        "technology": tuple(
            technology_slugs[name] for name in entry.technologies if name in technology_slugs
        ),
        "status": (entry.status,) if entry.status else (),
    }
    for name, listed in (entry.facets or {}).items():
        values[name] = tuple(str(value) for value in listed)
    return values


class FacetArrays:
    """The facet values of every entry as arrays, so a page filters and counts without rows.

    Per document type: the object ids in index order, and per facet the (position, value code)
    pairs of every entry's values; value codes are shared by the types of one snapshot.
    """

    def __init__(self, ordered: dict[str, list], technology_slugs: dict[str, str]):
        self.codes: dict[str, dict[str, int]] = {name: {} for name in FACETS if name != "type"}
        self.object_ids: dict[str, np.ndarray] = {}
        self.pairs: dict[str, dict[str, tuple[np.ndarray, np.ndarray]]] = {}
        for doc_type, entries in ordered.items():
            self.object_ids[doc_type] = np.fromiter(
                (e.object_id for e in entries), dtype=np.int64, count=len(entries)
            )
            collected: dict[str, tuple[list[int], list[int]]] = {n: ([], []) for n in self.codes}
            for position, entry in enumerate(entries):
                for name, values in entry_facets(entry, technology_slugs).items():
                    codes = self.codes.setdefault(name, {})
                    docs, found = collected.setdefault(name, ([], []))
                    for value in dict.fromkeys(values):
                        docs.append(position)
                        found.append(codes.setdefault(value, len(codes)))
            self.pairs[doc_type] = {
                name: (np.asarray(docs, dtype=np.int64), np.asarray(found, dtype=np.int64))
                for name, (docs, found) in collected.items()
            }

    def chosen(self, doc_type: str, name: str, value: str, size: int) -> np.ndarray:
        """Which entries of the type have `value` for facet `name` (a boolean per position)."""
        if name == "type":
            return np.full(size, value == doc_type)
        mask = np.zeros(size, dtype=bool)
        code = self.codes.get(name, {}).get(value)
        if code is not None and name in self.pairs[doc_type]:
            docs, codes = self.pairs[doc_type][name]
            mask[docs[codes == code]] = True
        return mask

    def count(self, doc_type: str, name: str, kept: np.ndarray, tally: dict[str, int]) -> None:
        """Add to `tally` (value → count) the facet values of the kept entries of the type."""
        if name == "type":
            if kept.any():
                tally[doc_type] = tally.get(doc_type, 0) + int(kept.sum())
            return
        if name not in self.pairs[doc_type]:
            return
        docs, codes = self.pairs[doc_type][name]
        counts = np.bincount(codes[kept[docs]], minlength=len(self.codes[name]))
        values = list(self.codes[name])
        for code in np.flatnonzero(counts):
            tally[values[code]] = tally.get(values[code], 0) + int(counts[code])


_snapshot: Snapshot | None = None
# Kept across snapshots of this process: the shared term ids and each entry's term counts.
_vocabulary: dict[str, int] = {}
_analysed: dict[tuple[str, int], tuple[str, dict]] = {}
VERSION_ROW = 1


def index_version_bump() -> None:
    """Tell every process that the stored entries, vectors or centroids changed.

    Called by every writer of the store, inside its transaction: readers see the new token
    together with the new entries.
    """
    IndexVersion.objects.update_or_create(pk=VERSION_ROW, defaults={"token": uuid.uuid4().hex})


def entries_state() -> tuple:
    """What changes whenever any process adds, changes or removes a stored entry.

    The version token when one was ever written (one primary-key read); before the first
    write through the store, a scan of the entries.
    """
    token = IndexVersion.objects.filter(pk=VERSION_ROW).values_list("token", flat=True).first()
    if token:
        return ("version", token)
    state = IndexedDocument.objects.aggregate(
        n=Count("pk"), latest=Max("indexed_at"), top=Max("pk")
    )
    centroids = VectorCentroid.objects.aggregate(latest=Max("updated_at"))["latest"]
    return ("scan", state["n"], state["latest"], state["top"], centroids)


def snapshot_key() -> tuple:
    """What changes whenever any process changes the stored entries, vectors or centroids."""
    return entries_state()


def _changed_entries(previous: Snapshot | None) -> list[IndexedDocument]:
    """Every stored entry, read from the database only where it changed since `previous`."""
    ordered = IndexedDocument.objects.order_by("doc_type", "object_id")
    if previous is None:
        return list(ordered)
    listing = list(ordered.values_list("pk", "doc_type", "object_id", "content_hash", "indexed_at"))
    changed = [
        pk
        for pk, doc_type, object_id, content_hash, indexed_at in listing
        if previous.stamp(doc_type, object_id) != (content_hash, indexed_at)
    ]
    if len(changed) > len(listing) // 2:
        return list(ordered)
    fresh = {}
    for start in range(0, len(changed), 1000):
        fresh.update(
            (entry.pk, entry)
            for entry in IndexedDocument.objects.filter(pk__in=changed[start : start + 1000])
        )
    return [
        fresh.get(pk) or previous.entries[(doc_type, object_id)]
        for pk, doc_type, object_id, _hash, _at in listing
    ]


def current_snapshot() -> Snapshot:
    """The process's snapshot, refreshed (incrementally) when the stored entries changed."""
    global _snapshot
    key = snapshot_key()
    if _snapshot is None or _snapshot.key != key:
        _snapshot = Snapshot(key, _changed_entries(_snapshot), previous=_snapshot)
    return _snapshot


def _unit_analyses(units: list[str]) -> list[list[tuple[str, list[str]]]]:
    """Per query part, the (field, tokens) of the part and of each glossary equivalent, as each
    field's analyser reads them: analysed once per query, checked against every type's index."""
    return [
        [
            (name, terms)
            for alternative in sorted({unit} | synonym_group_terms(unit))
            for name in INDEX_FIELDS
            if (terms := analyze_field(name, alternative, synonyms=False))
        ]
        for unit in units
    ]


def _unit_found(index: BM25Index, analyses: list[tuple[str, list[str]]]) -> np.ndarray:
    """Which documents hold the query part: all of its tokens in one field, or all of one of
    its glossary equivalents' (search.query_units)."""
    found = np.zeros(len(index), dtype=bool)
    for name, terms in analyses:
        found |= index.contains_all(terms, name)
    return found


def _type_scores(
    snapshot: Snapshot, doc_type: str, terms: dict, units=(), *, any_part: bool = False
) -> np.ndarray | None:
    """BM25 of every entry of the type (in index order), 0 where a part of the query is not
    found (where none is, with ``any_part``); None when the type has none. ``units`` holds the
    parts' analyses (_unit_analyses)."""
    index = snapshot.indices.get(doc_type)
    if index is None:
        return None
    # Each field scored with its own analysis (bigrams or whole words), as text_scores does.
    scores = np.zeros(len(index), dtype=np.float32)
    for name, field_terms in terms.items():
        scores += index.score_array(field_terms, fields=(name,))
    if units:
        found = [_unit_found(index, analyses) for analyses in units]
        scores[~(np.logical_or.reduce(found) if any_part else np.logical_and.reduce(found))] = 0.0
    return scores


def search_entries(
    query: str, *, doc_types: tuple[str, ...]
) -> list[tuple[IndexedDocument, float]]:
    """Stored entries of the given types ranked by BM25 for the query text."""
    if not analyze(query):
        return []
    terms, units = analyze_like(query), _unit_analyses(query_units(query))
    snapshot = current_snapshot()
    ranked = []
    for doc_type in doc_types:
        scores = _type_scores(snapshot, doc_type, terms, units)
        if scores is None:
            continue
        entries = snapshot.ordered[doc_type]
        ranked.extend(
            (entries[position], float(scores[position])) for position in np.flatnonzero(scores)
        )
    ranked.sort(key=lambda pair: (-pair[1], pair[0].doc_type, pair[0].object_id))
    return ranked


def _hits(snapshot: Snapshot, doc_type: str, scores: np.ndarray, hidden) -> np.ndarray:
    """Which entries of the type match (a boolean per position), the hidden ones left out."""
    hit = scores > 0
    position = snapshot.indices[doc_type].position
    for kind, object_id in hidden:
        if kind == doc_type and str(object_id) in position:
            hit[position[str(object_id)]] = False
    return hit


def _count_facets(
    columns: FacetArrays, doc_type: str, hit: np.ndarray, chosen: dict, facets: dict
) -> None:
    """Count each facet over the hits that the other facets' choices keep."""
    for name in FACETS:
        kept = hit.copy()
        for other, mask in chosen.items():
            if other != name:
                kept &= mask
        columns.count(doc_type, name, kept, facets[name])


def _page_of(snapshot: Snapshot, ranked: list, offset: int, limit: int) -> list:
    """The [offset, offset + limit) slice of the kept hits of every type, best first.

    Ties keep the order search_entries gives them: document type, then object id.
    """
    if not ranked or limit <= 0:
        return []
    scores = np.concatenate([scores for _, _, scores in ranked])
    kinds = np.concatenate([np.full(len(p), n) for n, (_, p, _) in enumerate(ranked)])
    positions = np.concatenate([positions for _, positions, _ in ranked])
    object_ids = np.concatenate(
        [snapshot.columns.object_ids[doc_type][p] for doc_type, p, _ in ranked]
    )
    order = np.lexsort((object_ids, kinds, -scores))[offset : offset + limit]
    return [(snapshot.ordered[ranked[kinds[i]][0]][positions[i]], float(scores[i])) for i in order]


def search_page_entries(query: SearchQuery) -> SearchPage:
    """One page of ranked entries with the total and facet counts, from the snapshot's arrays.

    Only the entries of the page are touched as objects; matching, hiding, filtering and
    counting are operations on arrays over the whole index.
    """
    facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    if not analyze(query.text):
        return SearchPage([], 0, 0, facets)
    terms, units = analyze_like(query.text), _unit_analyses(query_units(query.text))
    snapshot = current_snapshot()
    ranked, matched = [], 0
    for doc_type in sorted(query.doc_types):
        scores = _type_scores(snapshot, doc_type, terms, units, any_part=query.any_part)
        if scores is None:
            continue
        hit = _hits(snapshot, doc_type, scores, query.hidden)
        matched += int(hit.sum())
        chosen = {
            name: snapshot.columns.chosen(doc_type, name, value, len(hit))
            for name, value in query.filters.items()
        }
        _count_facets(snapshot.columns, doc_type, hit, chosen, facets)
        for mask in chosen.values():
            hit &= mask
        positions = np.flatnonzero(hit)
        ranked.append((doc_type, positions, scores[positions]))
    total = sum(len(positions) for _, positions, _ in ranked)
    page = _page_of(snapshot, ranked, query.offset, query.limit)
    return SearchPage(page, total, matched, facets)


def analysed_counts() -> tuple[dict[str, int], dict[tuple[str, int], tuple[str, dict]]]:
    """The term counts this process holds: (its vocabulary, entry → (content hash, counts)).

    What a shared snapshot (matching.backends.shared) writes down, so that another process,
    or this one after a restart, need not analyse those entries again.
    """
    return _vocabulary, _analysed


def analysed_counts_adopt(terms, entries) -> int:
    """Take over term counts analysed elsewhere for entries this process has not analysed.

    `terms` lists the terms the counts refer to by position; `entries` yields
    ((doc type, object id), content hash, {field: (term positions, frequencies, length)}).
    An entry whose content hash the next snapshot does not find is analysed again as usual.
    Returns how many were taken over.
    """
    local = None
    adopted = 0
    for key, content_hash, counts in entries:
        cached = _analysed.get(key)
        if cached is not None and cached[0] == content_hash:
            continue
        if local is None:
            local = np.fromiter(
                (_vocabulary.setdefault(term, len(_vocabulary)) for term in terms),
                dtype=np.int32,
                count=len(terms),
            )
        _analysed[key] = (
            content_hash,
            {name: (local[ids], tfs, length) for name, (ids, tfs, length) in counts.items()},
        )
        adopted += 1
    return adopted
