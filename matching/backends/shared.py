"""The site's matcher as memory-mapped arrays, written once per index version and shared.

Every web process of a machine needs the same matcher. Built in each process it costs
hundreds of megabytes per worker (every entry's text, vectors and postings as Python and
numpy objects). Here the process that first needs a version writes it once to a directory
under MATCHING_SNAPSHOT_DIR, named after the index's version token: one ``.npy`` file per
array (postings, vectors, masks, the texts and the metadata of every document as UTF-8
bytes with offsets) and a ``manifest.json`` that names them. Every process opens them with
``np.load(mmap_mode="r")``: the pages live once in the kernel's page cache, whatever the
number of workers, and a process keeps no Python object per document (a profile is decoded
when asked for, for a query's source or a shown suggestion).

A version is written to a temporary directory and renamed into place, so a reader sees a
whole version or none; builds are serialised by a lock file, and older versions are removed
once a newer one is in place (a process that still maps them keeps its pages until it moves
on). A missing or unreadable version is built again; if the directory cannot be written at
all, the caller falls back to the matcher in memory. Scores come from the same arrays the
in-memory matcher holds (copied, never recomputed), so both paths rank alike.
"""

import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

import numpy as np

from matching.query import Profile
from search.analysis import canonical_term
from search.analysis_cache import fingerprint as analysis_fingerprint
from search.backends.embedded import analysed_counts
from search.bm25 import BM25Index

logger = logging.getLogger(__name__)

FORMAT = 1
KINDS = ("challenge", "solution")
MASK_KINDS = ("fields", "technologies", "municipalities", "stages")
MANIFEST = "manifest.json"
# Versions kept besides the newest: a process that just read the version token may still
# be opening the one before.
KEEP_PREVIOUS = 1
STALE_TEMPORARY_SECONDS = 3600


class SnapshotInvalid(Exception):
    """A stored version is missing, incomplete or does not match its manifest."""


def snapshot_root() -> Path:
    """Where the versions live (MATCHING_SNAPSHOT_DIR, by default under VAR_DIR)."""
    configured = getattr(settings, "MATCHING_SNAPSHOT_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "matching"


def version_name(key: tuple) -> str:
    """The directory name of an index version (the format is part of it)."""
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:24]
    return f"v{FORMAT}-{digest}"


class MaskQueries:
    """What a side answers from its boolean masks (``masks[kind][key]``, one row per document)."""

    def any_of(self, kind: str, keys) -> np.ndarray:
        """Documents that carry at least one of the keys."""
        result = np.zeros(len(self.profiles), dtype=bool)
        for key in keys:
            mask = self.masks[kind].get(key)
            if mask is not None:
                result |= mask
        return result

    def count_of(self, kind: str, keys) -> np.ndarray:
        """How many of the keys each document carries."""
        result = np.zeros(len(self.profiles), dtype=np.float32)
        for key in keys:
            mask = self.masks[kind].get(key)
            if mask is not None:
                result += mask
        return result


# --- Terms --------------------------------------------------------------------------------


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


def _used_ids(index: BM25Index) -> np.ndarray:
    """The term ids some document of the index holds (a shared vocabulary holds others too)."""
    used = np.zeros(len(index.vocabulary), dtype=bool)
    for part in index._compile().values():
        if part is not None:
            used[: len(part["df"])] |= part["df"] > 0
    return np.flatnonzero(used)


def _terms_by_id(vocabulary: dict[str, int]) -> np.ndarray:
    terms = np.empty(len(vocabulary), dtype=object)
    terms[list(vocabulary.values())] = list(vocabulary.keys())
    return terms


def sorted_vocabulary(sources: list[tuple[dict, np.ndarray]]) -> tuple[np.ndarray, dict]:
    """One vocabulary for several (vocabulary, used term ids) sources: the used terms sorted
    by their UTF-8 bytes, and per source vocabulary (by id()) old term id → new id (-1: unused).
    """
    by_vocabulary: dict[int, tuple[dict, list[np.ndarray]]] = {}
    for vocabulary, used in sources:
        by_vocabulary.setdefault(id(vocabulary), (vocabulary, []))[1].append(used)
    used_terms = {}
    for key, (vocabulary, parts) in by_vocabulary.items():
        used = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
        used_terms[key] = (used, _terms_by_id(vocabulary)[used] if len(vocabulary) else [])
    encoded = sorted({term.encode() for _, terms in used_terms.values() for term in terms})
    new_ids = {term.decode(): number for number, term in enumerate(encoded)}
    remaps = {}
    for key, (vocabulary, _) in by_vocabulary.items():
        used, terms = used_terms[key]
        remap = np.full(len(vocabulary), -1, dtype=np.int64)
        remap[used] = [new_ids[term] for term in terms]
        remaps[key] = remap
    width = max((len(b) for b in encoded), default=1) or 1
    return np.array(encoded, dtype=f"S{width}"), remaps


def remapped_postings(part: dict, remap: np.ndarray, size: int) -> dict[str, np.ndarray]:
    """One field's compiled postings with term ids renumbered in the sorted vocabulary."""
    starts = part["starts"]
    old_terms = np.repeat(np.arange(len(starts) - 1), np.diff(starts))
    new_terms = remap[old_terms]
    order = np.argsort(new_terms, kind="stable")
    df = np.bincount(new_terms, minlength=size).astype(np.float32)
    new_starts = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(df, out=new_starts[1:])
    return {
        "docs": part["docs"][order].astype(np.int32),
        "weights": part["weights"][order].astype(np.float32),
        "starts": new_starts,
        "df": df,
    }


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


# --- Writing ------------------------------------------------------------------------------


def _blob(strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Strings as one UTF-8 byte array and the offsets of each (len + 1)."""
    encoded = [s.encode() for s in strings]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets


def _meta(profile: Profile) -> str:
    return json.dumps(
        [
            profile.fields,
            profile.technologies,
            profile.municipalities,
            profile.stage,
            profile.status,
            profile.language,
        ],
        ensure_ascii=False,
    )


def side_arrays(kind: str, side, remap: np.ndarray, size: int) -> tuple[dict, dict]:
    """The arrays of one side of an in-memory matcher, and what the manifest says of it."""
    profiles = side.profiles
    arrays = {
        "object_ids": np.array([int(p.id.partition(":")[2]) for p in profiles], dtype=np.int64),
        "has_vector": np.asarray(side.has_vector, dtype=bool),
        "vectors": np.asarray(side.vectors, dtype=np.float32),
        "open": np.asarray(side.open, dtype=bool),
        "published": np.asarray(side.published, dtype=np.float64),
    }
    dims = arrays["vectors"].shape[1] if arrays["vectors"].ndim == 2 else 0
    raw = np.zeros((len(profiles), dims), dtype=np.float32)
    for position, profile in enumerate(profiles):
        if profile.vector is not None and dims:
            raw[position] = profile.vector
    arrays["raw_vectors"] = raw
    texts = [t for p in profiles for t in (p.title, p.summary or "", p.description or "")]
    arrays["text_bytes"], arrays["text_offsets"] = _blob(texts)
    arrays["meta_bytes"], arrays["meta_offsets"] = _blob([_meta(p) for p in profiles])
    masks = {}
    for mask_kind in MASK_KINDS:
        keys = sorted(side.masks[mask_kind])
        matrix = np.zeros((len(keys), len(profiles)), dtype=bool)
        for row, key in enumerate(keys):
            matrix[row] = side.masks[mask_kind][key]
        arrays[f"mask_{mask_kind}"] = matrix
        masks[mask_kind] = keys
    fields = {}
    for name, part in side.index._compile().items():
        fields[name] = part is not None
        if part is not None:
            for array_name, values in remapped_postings(part, remap, size).items():
                arrays[f"bm25_{name}_{array_name}"] = values
    info = {"count": len(profiles), "masks": masks, "fields": fields, "boosts": side.index.boosts}
    return {f"{kind}__{name}": value for name, value in arrays.items()}, info


def _analysed_ids(analysed: dict) -> np.ndarray:
    parts = [ids for _, counts in analysed.values() for ids, _, _ in counts.values()]
    return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)


def analysis_arrays(analysed: dict, remap: np.ndarray) -> tuple[dict, dict]:
    """Every stored entry's term counts per field, as arrays: what analysis_adopt reads."""
    keys = sorted(analysed)
    doc_types = sorted({doc_type for doc_type, _ in keys})
    type_code = {doc_type: code for code, doc_type in enumerate(doc_types)}
    arrays = {
        "analysis__doc_types": np.array([type_code[t] for t, _ in keys], dtype=np.int16),
        "analysis__object_ids": np.array([o for _, o in keys], dtype=np.int64),
    }
    arrays["analysis__hashes"], arrays["analysis__hash_offsets"] = _blob(
        [analysed[key][0] for key in keys]
    )
    fields = sorted({name for _, counts in analysed.values() for name in counts})
    for name in fields:
        parts = [
            analysed[key][1].get(name) or (np.zeros(0, np.int32), np.zeros(0, np.float32), 0)
            for key in keys
        ]
        offsets = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum([len(ids) for ids, _, _ in parts], out=offsets[1:])
        ids = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int64)
        arrays[f"analysis__{name}_offsets"] = offsets
        arrays[f"analysis__{name}_terms"] = remap[ids].astype(np.int32)
        arrays[f"analysis__{name}_tfs"] = (
            np.concatenate([p[1] for p in parts]).astype(np.float32)
            if parts
            else np.zeros(0, np.float32)
        )
        arrays[f"analysis__{name}_lengths"] = np.array([p[2] for p in parts], dtype=np.int64)
    info = {"doc_types": doc_types, "fields": fields, "fingerprint": analysis_fingerprint()}
    return arrays, info


def _write_arrays(directory: Path, arrays: dict[str, np.ndarray]) -> dict:
    listing = {}
    for name, values in arrays.items():
        np.save(directory / f"{name}.npy", np.ascontiguousarray(values), allow_pickle=False)
        listing[name] = {"dtype": values.dtype.str, "shape": list(values.shape)}
    return listing


def snapshot_write(matcher, key: tuple, root: Path, *, analysed=None) -> Path:
    """Write an in-memory matcher as a version directory, atomically; returns its path.

    `analysed` (search.backends.embedded.analysed_counts()) adds the term counts of every
    stored entry, for the next build (see analysis_adopt).
    """
    root.mkdir(parents=True, exist_ok=True)
    final = root / version_name(key)
    temporary = root / f".tmp-{final.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    temporary.mkdir()
    try:
        indices = [matcher.sides[kind].index for kind in KINDS]
        sources = [(index.vocabulary, _used_ids(index)) for index in indices]
        if analysed is not None:
            sources.append((analysed[0], _analysed_ids(analysed[1])))
        terms, remaps = sorted_vocabulary(sources)
        arrays = {"terms": terms}
        sides = {}
        for kind, index in zip(KINDS, indices, strict=True):
            remap = remaps[id(index.vocabulary)]
            side_part, sides[kind] = side_arrays(kind, matcher.sides[kind], remap, len(terms))
            arrays.update(side_part)
        analysis = None
        if analysed is not None:
            store, analysis = analysis_arrays(analysed[1], remaps[id(analysed[0])])
            arrays.update(store)
        languages = sorted(matcher.centroids)
        if languages:
            arrays["centroids"] = np.stack([matcher.centroids[lang] for lang in languages])
        manifest = {
            "format": FORMAT,
            "key": repr(key),
            "written_at": time.time(),
            "synonyms": matcher.synonyms,
            "languages": languages,
            "sides": sides,
            "analysis": analysis,
            "arrays": _write_arrays(temporary, arrays),
        }
        with (temporary / MANIFEST).open("w") as handle:
            json.dump(manifest, handle)
            handle.flush()
            os.fsync(handle.fileno())
        _put_in_place(temporary, final)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)
    return final


def _put_in_place(temporary: Path, final: Path) -> None:
    """Rename the new version into place, setting aside a broken one of the same name."""
    if final.exists():
        aside = final.with_name(f".old-{final.name}-{uuid.uuid4().hex[:8]}")
        os.rename(final, aside)
        shutil.rmtree(aside, ignore_errors=True)
    os.rename(temporary, final)


def stale_versions_remove(root: Path, keep: str) -> list[str]:
    """Remove every version but `keep` and the KEEP_PREVIOUS newest others; returns the removed."""
    if not root.is_dir():
        return []
    versions = sorted(
        (p for p in root.iterdir() if p.is_dir() and p.name.startswith("v") and p.name != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    removed = []
    for path in versions[KEEP_PREVIOUS:]:
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path.name)
    cutoff = time.time() - STALE_TEMPORARY_SECONDS
    for path in root.iterdir():
        if path.name.startswith((".tmp-", ".old-")) and path.stat().st_mtime < cutoff:
            shutil.rmtree(path, ignore_errors=True)
    return removed


# --- Reading ------------------------------------------------------------------------------


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


# --- Loading or building ------------------------------------------------------------------


@contextmanager
def _build_lock(root: Path, *, wait: bool):
    """One builder at a time on this machine. Yields whether this process holds the lock
    (without `wait`, False at once while another process builds)."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def shared_matcher(
    key: tuple, build: Callable[[], tuple[tuple, object]], *, matcher_class, current=None
):
    """The matcher of index version `key`, mapped from its directory; built and written first
    when the directory is missing or unreadable.

    `build` returns (the key it was built for, an in-memory matcher). Returns (key, matcher).
    A process that already has a matcher (`current`, as (key, matcher)) keeps answering with it
    while another process builds the new version, instead of waiting. Raises OSError when the
    directory cannot be written (the caller then keeps the matcher in memory).
    """
    root = snapshot_root()
    directory = root / version_name(key)
    try:
        return key, snapshot_read(directory, key, matcher_class=matcher_class)
    except SnapshotInvalid as error:
        if directory.exists():
            logger.warning(
                "Matching snapshot %s is unreadable (%s); building it again.", directory.name, error
            )
    with _build_lock(root, wait=current is None) as held:
        if not held:
            return current
        try:  # another process may have written it while this one waited
            return key, snapshot_read(directory, key, matcher_class=matcher_class)
        except SnapshotInvalid:
            pass
        analysis_adopt(root)
        built_key, matcher = build()
        directory = snapshot_write(matcher, built_key, root, analysed=analysed_counts())
        stale_versions_remove(root, keep=directory.name)
    return built_key, snapshot_read(directory, built_key, matcher_class=matcher_class)
