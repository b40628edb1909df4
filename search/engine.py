"""An in-process BM25 index over several fields, scoring like Lucene (k1=1.2, b=0.75)."""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

K1 = 1.2
B = 0.75


@dataclass
class FieldIndex:
    """Postings and lengths of one field."""

    postings: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    lengths: dict[str, int] = field(default_factory=dict)

    def add(self, doc_id: str, tokens: list[str]) -> None:
        for term, tf in Counter(tokens).items():
            self.postings[term][doc_id] = tf
        self.lengths[doc_id] = len(tokens)

    def remove(self, doc_id: str) -> None:
        if doc_id not in self.lengths:
            return
        for term in list(self.postings):
            docs = self.postings[term]
            if docs.pop(doc_id, None) is not None and not docs:
                del self.postings[term]
        del self.lengths[doc_id]

    def scores(self, terms: list[str]) -> dict[str, float]:
        """BM25 of each matching document for the query terms (duplicates count once)."""
        count = len(self.lengths)
        if not count:
            return {}
        average = sum(self.lengths.values()) / count
        result: dict[str, float] = defaultdict(float)
        for term in set(terms):
            docs = self.postings.get(term)
            if not docs:
                continue
            idf = math.log(1 + (count - len(docs) + 0.5) / (len(docs) + 0.5))
            for doc_id, tf in docs.items():
                norm = K1 * (1 - B + B * self.lengths[doc_id] / average)
                result[doc_id] += idf * tf * (K1 + 1) / (tf + norm)
        return result


class BM25Index:
    """Documents with named text fields; queries weigh each field by a boost."""

    def __init__(self, fields: dict[str, float]):
        self.boosts = dict(fields)
        self.fields = {name: FieldIndex() for name in fields}
        self.documents: dict[str, dict] = {}

    def add(
        self, doc_id: str, tokens_by_field: dict[str, list[str]], payload: dict | None = None
    ) -> None:
        """Index (or re-index) one document."""
        self.remove(doc_id)
        for name, index in self.fields.items():
            index.add(doc_id, tokens_by_field.get(name, []))
        self.documents[doc_id] = payload or {}

    def remove(self, doc_id: str) -> None:
        """Drop a document from every field."""
        if doc_id in self.documents:
            for index in self.fields.values():
                index.remove(doc_id)
            del self.documents[doc_id]

    def text_scores(self, terms: list[str]) -> dict[str, dict[str, float]]:
        """Boosted BM25 per field per document: {doc_id: {field: score}}."""
        result: dict[str, dict[str, float]] = defaultdict(dict)
        for name, index in self.fields.items():
            for doc_id, score in index.scores(terms).items():
                result[doc_id][name] = score * self.boosts[name]
        return result
