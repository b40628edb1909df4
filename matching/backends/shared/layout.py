"""Where a version of the shared snapshot lives, what it is called, and what its sides answer."""

import hashlib
from pathlib import Path

from django.conf import settings

import numpy as np

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
