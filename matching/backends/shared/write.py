"""Writing a version: an in-memory matcher's arrays, renumbered into one sorted vocabulary,
saved as ``.npy`` files with a manifest in a temporary directory and renamed into place."""

import json
import os
import shutil
import time
import uuid
from pathlib import Path

import numpy as np

from matching.backends.shared.layout import (
    FORMAT,
    KEEP_PREVIOUS,
    KINDS,
    MANIFEST,
    MASK_KINDS,
    STALE_TEMPORARY_SECONDS,
    version_name,
)
from matching.query import Profile
from search.analysis_cache import fingerprint as analysis_fingerprint
from search.bm25 import BM25Index


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
