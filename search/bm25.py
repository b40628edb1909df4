"""An in-process BM25 index over several fields, scoring like Lucene (k1=1.2, b=0.75).

Documents are added once and the index is compiled into arrays on first use: for every
term, the positions of the documents that contain it and their boosted BM25 weight. A query
then sums a few slices of those arrays, which keeps scoring in the millisecond range at
tens of thousands of documents. Adding after a query recompiles on the next one.
"""

import numpy as np

K1 = 1.2
B = 0.75

# The text fields every backend indexes, with the boost a query gives each.
TEXT_FIELDS = {"title": 3.0, "summary": 2.0, "description": 1.0}
# Each text field is indexed twice: as bigrams (the field itself) and as the analyser's whole
# words (its ".words" sub-field), with the same boost: words give whole-word term frequencies,
# bigrams the recall for what the dictionary does not know.
WORD_SUFFIX = ".words"
WORD_FIELDS = {f"{name}{WORD_SUFFIX}": boost for name, boost in TEXT_FIELDS.items()}
INDEX_FIELDS = {**TEXT_FIELDS, **WORD_FIELDS}


class BM25Index:
    """Documents with named text fields; queries weigh each field by a boost.

    Several indices may share one vocabulary (term → id), so that the term counts of a
    document analysed once can be added again to a later index without analysing it again.
    """

    def __init__(self, fields: dict[str, float], *, vocabulary: dict[str, int] | None = None):
        self.boosts = dict(fields)
        self.documents: dict[str, dict] = {}
        self.doc_ids: list[str] = []
        self.position: dict[str, int] = {}
        self.vocabulary: dict[str, int] = {} if vocabulary is None else vocabulary
        # Per field, (document position, term ids, term frequencies) of every document.
        self._pending: dict[str, list[tuple[int, np.ndarray, np.ndarray]]] = {
            name: [] for name in fields
        }
        self._lengths: dict[str, list[int]] = {name: [] for name in fields}
        self._compiled: dict | None = None

    def __len__(self) -> int:
        return len(self.doc_ids)

    def counts_of(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray, int]:
        """A field's tokens as (term ids, frequencies, length) in this index's vocabulary."""
        vocabulary = self.vocabulary
        ids = np.fromiter(
            (vocabulary.setdefault(t, len(vocabulary)) for t in tokens),
            dtype=np.int32,
            count=len(tokens),
        )
        terms, counts = np.unique(ids, return_counts=True)
        return terms.astype(np.int32), counts.astype(np.float32), len(tokens)

    def add(
        self, doc_id: str, tokens_by_field: dict[str, list[str]], payload: dict | None = None
    ) -> None:
        """Index one document (an id may be added once)."""
        self.add_counts(
            doc_id,
            {name: self.counts_of(tokens_by_field.get(name, [])) for name in self.boosts},
            payload,
        )

    def add_counts(
        self,
        doc_id: str,
        counts_by_field: dict[str, tuple[np.ndarray, np.ndarray, int]],
        payload: dict | None = None,
    ) -> None:
        """Index one document from its term counts per field (see counts_of)."""
        if doc_id in self.position:
            raise ValueError(f"{doc_id} is already indexed")
        position = len(self.doc_ids)
        self.position[doc_id] = position
        self.doc_ids.append(doc_id)
        self.documents[doc_id] = payload or {}
        for name in self.boosts:
            terms, counts, length = counts_by_field.get(name) or (None, None, 0)
            self._lengths[name].append(length)
            if length:
                self._pending[name].append((position, terms, counts))
        self._compiled = None

    def _compile(self) -> dict:
        if self._compiled is not None:
            return self._compiled
        count = len(self.doc_ids)
        compiled = {}
        for name, boost in self.boosts.items():
            lengths = np.asarray(self._lengths[name], dtype=np.float32)
            chunks = self._pending[name]
            if not chunks or not count:
                compiled[name] = None
                continue
            docs = np.repeat(
                np.fromiter((c[0] for c in chunks), dtype=np.int32, count=len(chunks)),
                [len(c[1]) for c in chunks],
            )
            terms = np.concatenate([c[1] for c in chunks])
            tfs = np.concatenate([c[2] for c in chunks])
            order = np.argsort(terms, kind="stable")
            docs, terms, tfs = docs[order], terms[order], tfs[order]
            df = np.bincount(terms, minlength=len(self.vocabulary)).astype(np.float32)
            starts = np.zeros(len(self.vocabulary) + 1, dtype=np.int64)
            np.cumsum(df, out=starts[1:])
            average = float(lengths.mean()) or 1.0
            idf = np.log1p((count - df + 0.5) / (df + 0.5))
            norm = K1 * (1 - B + B * lengths[docs] / average)
            weights = idf[terms] * tfs * (K1 + 1) / (tfs + norm)
            compiled[name] = {
                "docs": docs,
                "weights": weights.astype(np.float32),
                "starts": starts,
                "df": df,
                "boost": boost,
            }
        self._compiled = compiled
        return compiled

    def _term_ids(self, terms) -> list[int]:
        return [self.vocabulary[t] for t in dict.fromkeys(terms) if t in self.vocabulary]

    def document_frequencies(self, terms: list[str]) -> dict[str, np.ndarray]:
        """Per field, how many documents contain each term (0 for unknown terms)."""
        compiled = self._compile()
        ids = np.array([self.vocabulary.get(t, -1) for t in terms], dtype=np.int64)
        known = ids >= 0
        result = {}
        for name in self.boosts:
            counts = np.zeros(len(terms), dtype=np.float32)
            part = compiled.get(name)
            if part is not None and known.any():
                counts[known] = part["df"][ids[known]]
            result[name] = counts
        return result

    def score_array(self, terms: list[str], *, fields: tuple[str, ...] | None = None) -> np.ndarray:
        """Boosted BM25 summed over fields, one value per document in `doc_ids` order.

        Repeated query terms count once.
        """
        ids = self._term_ids(terms)
        pairs = [(name, term_id) for name in self.boosts for term_id in ids]
        if fields is not None:
            pairs = [(name, term_id) for name, term_id in pairs if name in fields]
        return self._score(pairs, boosted=True)

    def contains_all(self, terms: list[str], field: str) -> np.ndarray:
        """Which documents hold every one of the terms in the field (a boolean per document)."""
        found = np.zeros(len(self.doc_ids), dtype=bool)
        part = self._compile().get(field)
        ids = [self.vocabulary.get(term) for term in dict.fromkeys(terms)]
        if part is None or not ids or None in ids:
            return found
        found[:] = True
        for term_id in ids:
            start, end = part["starts"][term_id], part["starts"][term_id + 1]
            present = np.zeros(len(self.doc_ids), dtype=bool)
            present[part["docs"][start:end]] = True
            found &= present
        return found

    def score_pairs(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Unboosted BM25 of (field, term) pairs, as a more-like-this query scores them."""
        ids = [
            (name, self.vocabulary[term])
            for name, term in dict.fromkeys(pairs)
            if term in self.vocabulary and name in self.boosts
        ]
        return self._score(ids, boosted=False)

    def _score(self, pairs: list[tuple[str, int]], *, boosted: bool) -> np.ndarray:
        count = len(self.doc_ids)
        compiled = self._compile()
        slices_docs, slices_weights = [], []
        for name, term_id in pairs:
            part = compiled.get(name)
            if part is None:
                continue
            start, end = part["starts"][term_id], part["starts"][term_id + 1]
            if end > start:
                slices_docs.append(part["docs"][start:end])
                weights = part["weights"][start:end]
                slices_weights.append(weights * part["boost"] if boosted else weights)
        if not slices_docs:
            return np.zeros(count, dtype=np.float32)
        return np.bincount(
            np.concatenate(slices_docs), weights=np.concatenate(slices_weights), minlength=count
        ).astype(np.float32)

    def text_scores(self, terms: list[str] | dict[str, list[str]]) -> dict[str, dict[str, float]]:
        """Boosted BM25 per field per document: {doc_id: {field: score}} for matching documents.

        The terms are the same for every field, or given per field (a query analysed by each
        field's analyser, as a multi-field query is).
        """
        result: dict[str, dict[str, float]] = {}
        for name in self.boosts:
            field_terms = terms.get(name, []) if isinstance(terms, dict) else terms
            scores = self.score_array(field_terms, fields=(name,))
            for position in np.flatnonzero(scores):
                result.setdefault(self.doc_ids[position], {})[name] = float(scores[position])
        return result
