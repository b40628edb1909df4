"""Reading a version: its arrays mapped, not read, and wrapped so that the matcher asks them
what it asks its in-memory sides; and the stored term counts a new build takes over."""

import json
import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from matching.backends.shared.layout import (
    FORMAT,
    KINDS,
    MANIFEST,
    MaskQueries,
    SnapshotInvalid,
    snapshot_root,
)
from matching.query import Profile
from search.analysis import canonical_term
from search.analysis_cache import fingerprint as analysis_fingerprint
from search.bm25 import BM25Index

logger = logging.getLogger(__name__)


class SortedTerms:
    """A vocabulary as one sorted array of UTF-8 terms: term → id by binary search.

    It answers the few lookups of BM25Index (``in``, ``[]``, ``get``) and, for a whole query
    at once, ``ids_of``, without a dictionary of every term in every process.
    """

    def __init__(self, terms: np.ndarray):
        self.terms = terms
        self.width = terms.dtype.itemsize

    def __len__(self) -> int:
        return len(self.terms)

    def ids_of(self, terms: Sequence[str]) -> np.ndarray:
        """The id of each term, -1 for a term the vocabulary lacks."""
        if not len(terms) or not len(self.terms):
            return np.full(len(terms), -1, dtype=np.int64)
        encoded = [term.encode() for term in terms]
        fits = np.array([0 < len(b) <= self.width for b in encoded], dtype=bool)
        wanted = np.array(
            [b if len(b) <= self.width else b"" for b in encoded], dtype=self.terms.dtype
        )
        positions = np.minimum(np.searchsorted(self.terms, wanted), len(self.terms) - 1)
        found = fits & (self.terms[positions] == wanted)
        return np.where(found, positions, -1).astype(np.int64)

    def get(self, term: str, default=None):
        found = int(self.ids_of([term])[0])
        return default if found < 0 else found

    def __contains__(self, term: str) -> bool:
        return self.get(term) is not None

    def __getitem__(self, term: str) -> int:
        found = self.get(term)
        if found is None:
            raise KeyError(term)
        return found


class MappedBM25Index(BM25Index):
    """A compiled BM25 index read from mapped arrays: the same scores, no per-term dictionary."""

    def __init__(self, fields: dict[str, float], vocabulary: SortedTerms, doc_ids, compiled):
        self.boosts = dict(fields)
        self.vocabulary = vocabulary
        self.doc_ids = doc_ids
        self._compiled = compiled

    def _compile(self) -> dict:
        return self._compiled

    def _term_ids(self, terms) -> list[int]:
        unique = list(dict.fromkeys(terms))
        return [int(i) for i in self.vocabulary.ids_of(unique) if i >= 0]

    def document_frequencies(self, terms: list[str]) -> dict[str, np.ndarray]:
        """Per field, how many documents contain each term (0 for unknown terms)."""
        ids = self.vocabulary.ids_of(terms)
        known = ids >= 0
        result = {}
        for name in self.boosts:
            counts = np.zeros(len(terms), dtype=np.float32)
            part = self._compiled.get(name)
            if part is not None and known.any():
                counts[known] = part["df"][ids[known]]
            result[name] = counts
        return result

    def score_pairs(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Unboosted BM25 of (field, term) pairs, as a more-like-this query scores them."""
        unique = [(name, term) for name, term in dict.fromkeys(pairs) if name in self.boosts]
        ids = self.vocabulary.ids_of([term for _, term in unique])
        known = [(name, int(i)) for (name, _), i in zip(unique, ids, strict=True) if i >= 0]
        return self._score(known, boosted=False)


class _Blob(Sequence):
    """The i-th string of a mapped UTF-8 blob, decoded when asked for."""

    def __init__(self, data: np.ndarray, offsets: np.ndarray):
        self.data, self.offsets = data, offsets

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:
        start, end = int(self.offsets[i]), int(self.offsets[i + 1])
        return self.data[start:end].tobytes().decode()


class _Ids(Sequence):
    """ "kind:object id" of each position, made when asked for."""

    def __init__(self, kind: str, object_ids: np.ndarray):
        self.kind, self.object_ids = kind, object_ids

    def __len__(self) -> int:
        return len(self.object_ids)

    def __getitem__(self, i: int) -> str:
        return f"{self.kind}:{int(self.object_ids[i])}"


class _Positions(Mapping):
    """ "kind:object id" → position, by binary search over the sorted object ids."""

    def __init__(self, kind: str, object_ids: np.ndarray):
        self.kind, self.object_ids = kind, object_ids
        self.order = np.argsort(object_ids, kind="stable")
        self.sorted_ids = object_ids[self.order]

    def __getitem__(self, doc_id: str) -> int:
        kind, _, number = str(doc_id).partition(":")
        if kind != self.kind or not number.isdigit() or not len(self.sorted_ids):
            raise KeyError(doc_id)
        value = int(number)
        at = int(np.searchsorted(self.sorted_ids, value))
        if at >= len(self.sorted_ids) or int(self.sorted_ids[at]) != value:
            raise KeyError(doc_id)
        return int(self.order[at])

    def __iter__(self):
        return iter(_Ids(self.kind, self.object_ids))

    def __len__(self) -> int:
        return len(self.object_ids)


class _Profiles(Sequence):
    """The profile at each position of a mapped side, decoded when asked for."""

    def __init__(self, side: "MappedSide"):
        self.side = side

    def __len__(self) -> int:
        return len(self.side.ids)

    def __getitem__(self, i: int) -> Profile:
        side = self.side
        fields, technologies, municipalities, stage, status, language = json.loads(side.meta[i])
        published = float(side.published[i])
        vector = side.raw_vectors[i] if side.has_vector[i] else None
        return Profile(
            id=side.ids[i],
            kind=side.kind,
            title=side.texts[3 * i],
            summary=side.texts[3 * i + 1],
            description=side.texts[3 * i + 2],
            fields=fields,
            technologies=technologies,
            municipalities=municipalities,
            stage=stage,
            status=status,
            language=language,
            published_at=None if np.isnan(published) else datetime.fromtimestamp(published, UTC),
            vector=None if vector is None else np.array(vector),
        )


class _TechnologyNames(Sequence):
    """Each position's technologies, canonical form → the target's own spelling."""

    def __init__(self, profiles: _Profiles):
        self.profiles = profiles

    def __len__(self) -> int:
        return len(self.profiles)

    def __getitem__(self, i: int) -> dict[str, str]:
        names: dict[str, str] = {}
        for name in self.profiles[i].technologies:
            names.setdefault(canonical_term(name), name)
        return names


class MappedSide(MaskQueries):
    """One side of the matcher read from a version directory: _Side's attributes, mapped."""

    def __init__(self, kind: str, info: dict, arrays: dict, terms: SortedTerms):
        self.kind = kind
        object_ids = arrays["object_ids"]
        self.ids = _Ids(kind, object_ids)
        self.position = _Positions(kind, object_ids)
        self.has_vector = arrays["has_vector"]
        self.vectors = arrays["vectors"]
        self.raw_vectors = arrays["raw_vectors"]
        self.open = arrays["open"]
        self.published = arrays["published"]
        self.texts = _Blob(arrays["text_bytes"], arrays["text_offsets"])
        self.meta = _Blob(arrays["meta_bytes"], arrays["meta_offsets"])
        self.profiles = _Profiles(self)
        self.technology_names = _TechnologyNames(self.profiles)
        self.masks = {
            mask_kind: dict(zip(keys, arrays[f"mask_{mask_kind}"], strict=True))
            for mask_kind, keys in info["masks"].items()
        }
        compiled = {
            name: (
                {
                    "docs": arrays[f"bm25_{name}_docs"],
                    "weights": arrays[f"bm25_{name}_weights"],
                    "starts": arrays[f"bm25_{name}_starts"],
                    "df": arrays[f"bm25_{name}_df"],
                    "boost": info["boosts"][name],
                }
                if present
                else None
            )
            for name, present in info["fields"].items()
        }
        self.index = MappedBM25Index(info["boosts"], terms, self.ids, compiled)


class MappedProfiles(Mapping):
    """ "kind:id" → Profile over both mapped sides, decoded when asked for."""

    def __init__(self, sides: dict[str, MappedSide]):
        self.sides = sides

    def __getitem__(self, doc_id: str) -> Profile:
        side = self.sides.get(str(doc_id).partition(":")[0])
        if side is None:
            raise KeyError(doc_id)
        return side.profiles[side.position[doc_id]]

    def __iter__(self):
        for side in self.sides.values():
            yield from side.ids

    def __len__(self) -> int:
        return sum(len(side.ids) for side in self.sides.values())


def _check(values: np.ndarray, expected: dict, name: str) -> np.ndarray:
    if values.dtype.str != expected["dtype"] or list(values.shape) != expected["shape"]:
        raise SnapshotInvalid(f"{name} does not match the manifest")
    return values


def _load_arrays(directory: Path, listing: dict) -> dict[str, np.ndarray]:
    arrays = {}
    for name, expected in listing.items():
        try:
            values = np.load(directory / f"{name}.npy", mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError) as error:
            raise SnapshotInvalid(f"{name}: {error}") from error
        # A plain array over the same mapped pages: slicing an np.memmap runs Python code of its
        # own for every slice, and a query takes thousands of slices.
        arrays[name] = _check(values, expected, name).view(np.ndarray)
    return arrays


def _consistent(side: MappedSide, info: dict) -> None:
    """Cheap checks that the side's arrays agree with each other (a damaged file fails them)."""
    count = info["count"]
    if len(side.ids) != count or side.vectors.shape[0] != count or len(side.meta) != count:
        raise SnapshotInvalid(f"{side.kind}: sizes disagree")
    if len(side.texts) != 3 * count or int(side.texts.offsets[-1]) != len(side.texts.data):
        raise SnapshotInvalid(f"{side.kind}: texts are incomplete")
    for part in side.index._compile().values():
        if part is not None and int(part["starts"][-1]) != len(part["docs"]):
            raise SnapshotInvalid(f"{side.kind}: postings are incomplete")


def snapshot_read(directory: Path, key: tuple, *, matcher_class):
    """The matcher of a version directory (its arrays mapped, not read); raises SnapshotInvalid."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise SnapshotInvalid(f"no readable manifest: {error}") from error
    if manifest.get("format") != FORMAT or manifest.get("key") != repr(key):
        raise SnapshotInvalid("the manifest names another version")
    # The stored term counts are for the next build (analysis_adopt), not for queries.
    listing = {n: e for n, e in manifest["arrays"].items() if not n.startswith("analysis__")}
    arrays = _load_arrays(directory, listing)
    terms = SortedTerms(arrays["terms"])
    sides = {}
    for kind in KINDS:
        prefix = f"{kind}__"
        own = {name[len(prefix) :]: v for name, v in arrays.items() if name.startswith(prefix)}
        info = manifest["sides"][kind]
        try:
            sides[kind] = MappedSide(kind, info, own, terms)
        except KeyError as error:
            raise SnapshotInvalid(f"{kind}: {error} is missing") from error
        _consistent(sides[kind], info)
    centroids = {
        language: np.array(row)
        for language, row in zip(manifest["languages"], arrays.get("centroids", []), strict=False)
    }
    return matcher_class.from_sides(
        sides, profiles=MappedProfiles(sides), centroids=centroids, synonyms=manifest["synonyms"]
    )


class _DecodedTerms:
    """The terms of a mapped vocabulary as strings, decoded while iterated."""

    def __init__(self, terms: np.ndarray):
        self.terms = terms

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self):
        return (term.decode() for term in self.terms)


def _stored_counts(arrays: dict, info: dict):
    """((doc type, object id), content hash, counts by field) of every entry of an analysis."""
    doc_types = info["doc_types"]
    hashes = _Blob(arrays["analysis__hashes"], arrays["analysis__hash_offsets"])
    fields = {
        name: tuple(
            arrays[f"analysis__{name}_{part}"] for part in ("offsets", "terms", "tfs", "lengths")
        )
        for name in info["fields"]
    }
    codes, object_ids = arrays["analysis__doc_types"], arrays["analysis__object_ids"]
    for i in range(len(object_ids)):
        counts = {}
        for name, (offsets, terms, tfs, lengths) in fields.items():
            start, end = int(offsets[i]), int(offsets[i + 1])
            counts[name] = (np.array(terms[start:end]), np.array(tfs[start:end]), int(lengths[i]))
        yield (doc_types[int(codes[i])], int(object_ids[i])), hashes[i], counts


def _versions_newest_first(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if p.is_dir() and p.name.startswith(f"v{FORMAT}-")]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def analysis_adopt(root: Path | None = None) -> int:
    """Take over the term counts of the newest version on this machine written by the same
    analyser, for the entries this process has not analysed; returns how many.

    Analysing a text (whole words by the morphological analyser) is the slow part of a build;
    with this, a process that builds a new version after a change, or after a restart,
    analyses only the entries that changed.
    """
    from search.backends.embedded import analysed_counts_adopt

    fingerprint = None
    for directory in _versions_newest_first(root or snapshot_root()):
        try:
            manifest = json.loads((directory / MANIFEST).read_text())
            info = manifest.get("analysis")
            fingerprint = fingerprint or analysis_fingerprint()
            if not info or info.get("fingerprint") != fingerprint:
                continue
            listing = {
                name: expected
                for name, expected in manifest["arrays"].items()
                if name.startswith("analysis__") or name == "terms"
            }
            arrays = _load_arrays(directory, listing)
            return analysed_counts_adopt(
                _DecodedTerms(arrays["terms"]), _stored_counts(arrays, info)
            )
        except (OSError, ValueError, KeyError, SnapshotInvalid):
            logger.warning(
                "Stored term counts in %s are unreadable.", directory.name, exc_info=True
            )
    return 0
