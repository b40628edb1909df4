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

``layout`` names a version and where it lives; ``write`` turns a matcher into a version;
``read`` maps one and answers from it; this module loads a version or builds it under a lock.
"""

import fcntl
import logging
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from matching.backends.shared.layout import (
    MaskQueries,
    SnapshotInvalid,
    snapshot_root,
    version_name,
)
from matching.backends.shared.read import MappedSide, SortedTerms, analysis_adopt, snapshot_read
from matching.backends.shared.write import snapshot_write, stale_versions_remove
from search.backends.embedded import analysed_counts

__all__ = [
    "MappedSide",
    "MaskQueries",
    "SnapshotInvalid",
    "SortedTerms",
    "analysis_adopt",
    "shared_matcher",
    "snapshot_read",
    "snapshot_root",
    "snapshot_write",
    "version_name",
]

logger = logging.getLogger(__name__)


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
