"""The public search: one box over challenges and solutions, with facets and highlighted snippets."""

import html
import re
import unicodedata
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils.safestring import mark_safe

from search.backends import get_backend

MAX_QUERY = 200
DOC_TYPES = ("challenge", "solution")


@dataclass
class SearchRequest:
    """A cleaned search request; unknown values are dropped, long queries cut."""

    query: str = ""
    doc_type: str = ""
    field: str = ""
    truncated: bool = False

    @classmethod
    def from_query(cls, params) -> "SearchRequest":
        """Read the GET parameters of the search page."""
        raw = unicodedata.normalize("NFKC", params.get("q") or "").strip()
        raw = " ".join(raw.split())
        doc_type = params.get("type") or ""
        field = (params.get("field") or "")[:50]
        return cls(
            query=raw[:MAX_QUERY],
            doc_type=doc_type if doc_type in DOC_TYPES else "",
            field=field if re.fullmatch(r"[a-z0-9-]*", field) else "",
            truncated=len(raw) > MAX_QUERY,
        )


def highlight(text: str, query: str, *, length: int = 160) -> str:
    """A snippet of the text around the first match, with query words marked."""
    words = sorted({w for w in query.split() if w}, key=len, reverse=True)
    folded = unicodedata.normalize("NFKC", text).lower()
    start = 0
    for word in words:
        position = folded.find(word.lower())
        if position >= 0:
            start = max(0, position - 30)
            break
    snippet = text[start : start + length]
    escaped = html.escape(snippet)
    for word in words:
        escaped = re.sub(
            re.escape(html.escape(word)),
            lambda m: f"<mark>{m.group(0)}</mark>",
            escaped,
            flags=re.IGNORECASE,
        )
    prefix = "…" if start else ""
    suffix = "…" if start + length < len(text) else ""
    return mark_safe(prefix + escaped + suffix)


def search_run(request: SearchRequest, *, page=None, per_page: int = 10) -> dict:
    """Ranked, filtered, paginated results with facet counts for the search page."""
    if not request.query:
        return {"page_obj": None, "facets": {}, "total": 0}
    ranked = get_backend().search(request.query, doc_types=DOC_TYPES)
    type_counts = dict.fromkeys(DOC_TYPES, 0)
    field_counts: dict[str, int] = {}
    results = []
    for entry, score in ranked:
        type_counts[entry.doc_type] += 1
        if request.doc_type and entry.doc_type != request.doc_type:
            continue
        for slug in entry.fields:
            field_counts[slug] = field_counts.get(slug, 0) + 1
        if request.field and request.field not in entry.fields:
            continue
        results.append({"entry": entry, "score": score})
    page_obj = Paginator(results, per_page).get_page(page)
    for item in page_obj.object_list:
        item["snippet"] = highlight(
            item["entry"].summary or item["entry"].description, request.query
        )
        item["title"] = highlight(item["entry"].title, request.query, length=400)
    return {
        "page_obj": page_obj,
        "facets": {"type": type_counts, "field": field_counts},
        "total": len(results),
    }
