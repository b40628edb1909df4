"""The public search: one box over the public document types, with facets, highlighted snippets
and help when nothing matches.

The backend ranks; the database decides what may be shown. Every candidate is checked against
its row (published, organisation approved) before it is counted or listed, so an object that
was withdrawn a moment ago, whose index entry has not caught up yet, never appears; facet
values (field, municipality, technology, status) come from the same rows, so a count always
equals what clicking it lists.
"""

import difflib
import html
import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from forum.models import (
    Challenge,
    Field,
    Municipality,
    Organisation,
    Project,
    SolutionProfile,
    Technology,
)
from search.analysis import analyze, folded_with_positions, normalise, synonym_groups
from search.backends import get_backend, get_store
from search.backends.embedded import entries_state
from search.models import IndexedDocument

logger = logging.getLogger(__name__)

MAX_QUERY = 200
FACETS = ("type", "field", "municipality", "technology", "status")


@dataclass(frozen=True)
class Visible:
    """What the database says about one result that may be shown: its facet values and labels."""

    fields: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    technologies: tuple[str, ...] = ()
    status: str = ""
    status_label: str = ""
    meta: str = ""

    def values(self, facet: str, doc_type: str) -> tuple[str, ...]:
        """The result's values for one facet."""
        if facet == "type":
            return (doc_type,)
        if facet == "status":
            return (self.status,) if self.status else ()
        return getattr(
            self,
            {"field": "fields", "municipality": "municipalities", "technology": "technologies"}[
                facet
            ],
        )


def _challenges_visible(ids: list[int]) -> dict[int, Visible]:
    rows = (
        Challenge.objects.filter(pk__in=ids, is_published=True)
        .select_related("field", "municipality")
        .prefetch_related("technologies")
    )
    return {
        c.pk: Visible(
            fields=(c.field.slug,),
            municipalities=(c.municipality.code,),
            technologies=tuple(t.slug for t in c.technologies.all()),
            status=c.status,
            status_label=c.get_status_display(),
            meta=f"{c.municipality}・{c.field}",
        )
        for c in rows
    }


def _solutions_visible(ids: list[int]) -> dict[int, Visible]:
    rows = (
        SolutionProfile.objects.filter(
            pk__in=ids, is_published=True, organisation__status=Organisation.Status.APPROVED
        )
        .select_related("organisation")
        .prefetch_related("fields", "technologies", "track_record_municipalities")
    )
    return {
        s.pk: Visible(
            fields=tuple(f.slug for f in s.fields.all()),
            municipalities=tuple(m.code for m in s.track_record_municipalities.all()),
            technologies=tuple(t.slug for t in s.technologies.all()),
            meta=s.organisation.name,
        )
        for s in rows
    }


def _projects_visible(ids: list[int]) -> dict[int, Visible]:
    rows = (
        Project.objects.filter(pk__in=ids, is_public=True)
        .select_related("field")
        .prefetch_related("municipalities")
    )
    return {
        p.pk: Visible(
            fields=(p.field.slug,),
            municipalities=tuple(m.code for m in p.municipalities.all()),
            meta=f"{p.get_stage_display()}・{p.field}",
        )
        for p in rows
    }


@dataclass(frozen=True)
class DocType:
    """A kind of public document the page searches: its label, badge and who may see which."""

    label: Promise  # the facet's name for the type (a plural in English)
    badge: str
    visible: Callable[[list[int]], dict[int, Visible]]
    one: Promise  # one result's badge (a singular in English)


DOC_TYPES: dict[str, DocType] = {
    "challenge": DocType(
        _("地域課題"),
        "text-bg-primary",
        _challenges_visible,
        pgettext_lazy("one search result", "地域課題"),
    ),
    "solution": DocType(
        _("ソリューション"),
        "text-bg-success",
        _solutions_visible,
        pgettext_lazy("one search result", "ソリューション"),
    ),
    "project": DocType(
        _("プロジェクト"),
        "text-bg-warning",
        _projects_visible,
        pgettext_lazy("one search result", "プロジェクト"),
    ),
}


@dataclass
class SearchRequest:
    """A cleaned search request; unknown values are dropped, long queries cut."""

    query: str = ""
    doc_type: str = ""
    field: str = ""
    municipality: str = ""
    technology: str = ""
    status: str = ""
    truncated: bool = False

    @classmethod
    def from_query(cls, params) -> "SearchRequest":
        """Read the GET parameters of the search page."""
        raw = unicodedata.normalize("NFKC", params.get("q") or "").strip()
        raw = " ".join(raw.split())

        def pick(name: str, pattern: str) -> str:
            value = (params.get(name) or "")[:50]
            return value if re.fullmatch(pattern, value) else ""

        doc_type = params.get("type") or ""
        status = params.get("status") or ""
        return cls(
            query=raw[:MAX_QUERY],
            doc_type=doc_type if doc_type in DOC_TYPES else "",
            field=pick("field", r"[a-z0-9-]*"),
            municipality=pick("municipality", r"\d{6}|"),
            technology=pick("technology", r"[a-z0-9-]*"),
            status=status if status in Challenge.Status.values else "",
            truncated=len(raw) > MAX_QUERY,
        )

    def selected(self) -> dict[str, str]:
        """facet → chosen value, for the facets that are set."""
        values = {
            "type": self.doc_type,
            "field": self.field,
            "municipality": self.municipality,
            "technology": self.technology,
            "status": self.status,
        }
        return {name: value for name, value in values.items() if value}

    def params(self, **changes) -> dict[str, str]:
        """The page's GET parameters with some facets changed (an empty value drops one)."""
        values = {"q": self.query, **self.selected(), **changes}
        return {name: value for name, value in values.items() if value}

    def querystring(self, **changes) -> str:
        """params() as a query string."""
        return urlencode(self.params(**changes))


@dataclass
class Result:
    """One visible result."""

    doc_type: str
    entry: object
    score: float
    visible: Visible
    title: str = ""
    snippet: str = ""

    @property
    def label(self):
        """The document type's name, for one result."""
        return DOC_TYPES[self.doc_type].one

    @property
    def badge(self) -> str:
        """The badge class of the document type."""
        return DOC_TYPES[self.doc_type].badge


# --- Highlighting ------------------------------------------------------------------------


_LATIN_RUN = re.compile(r"[a-z0-9]+")
_CJK_RUN = re.compile(r"[^\sa-z0-9!-/:-@\[-`{-~、。・「」（）【】]+")


def highlight_terms(query: str) -> list[str]:
    """Words to mark for a query: its words and runs, and the synonyms they stand for."""
    folded = normalise(query)
    terms = set(folded.split())
    terms.update(_LATIN_RUN.findall(folded))
    terms.update(_CJK_RUN.findall(folded))
    for group in synonym_groups():
        if any(_contains(folded, term) for term in group):
            terms.update(group)
    return sorted((t for t in terms if t.strip()), key=len, reverse=True)


def _contains(text: str, term: str) -> bool:
    if term.isascii():
        return re.search(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", text) is not None
    return term in text


def _spans(folded: str, terms: list[str]) -> list[tuple[int, int]]:
    spans = []
    for term in terms:
        if term.isascii():
            pattern = rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])"
        else:
            pattern = re.escape(term)
        spans.extend(m.span() for m in re.finditer(pattern, folded))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def highlight(text: str, query: str, *, length: int = 160) -> str:
    """A snippet of the text around the first match, with matching words marked.

    Matching folds width and case and follows the synonym list, so a search for drone marks
    ドローン and ﾄﾞﾛｰﾝ as well; everything else is HTML-escaped.
    """
    text = text or ""
    folded, starts = folded_with_positions(text)
    spans = []
    for start, end in _spans(folded, highlight_terms(query)):
        original_end = starts[end] if end < len(starts) else len(text)
        spans.append((starts[start], original_end))
    window_start = max(0, spans[0][0] - 30) if spans else 0
    window_end = min(len(text), window_start + length)
    pieces, cursor = [], window_start
    for start, end in spans:
        start, end = max(start, window_start), min(end, window_end)
        if start >= end:
            continue
        pieces.append(html.escape(text[cursor:start]))
        pieces.append(f"<mark>{html.escape(text[start:end])}</mark>")
        cursor = end
    pieces.append(html.escape(text[cursor:window_end]))
    prefix = "…" if window_start else ""
    suffix = "…" if window_end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)


def _marked(fragment: str) -> str:
    """A backend's highlight fragment: HTML-escaped by the backend, with only <mark> added."""
    return mark_safe(fragment)


# --- Running a search ----------------------------------------------------------------------


def _ranked(query: str) -> list:
    """Candidates from the configured backend; the embedded store stands in if it fails."""
    backend, store = get_backend(), get_store()
    try:
        return backend.search(query, doc_types=tuple(DOC_TYPES))
    except Exception:
        if backend is store:
            raise
        logger.warning("Search backend failed; answering from the embedded store.", exc_info=True)
        return store.search(query, doc_types=tuple(DOC_TYPES))


def _visible_results(query: str) -> list[Result]:
    ranked = _ranked(query)
    ids: dict[str, list[int]] = {name: [] for name in DOC_TYPES}
    for entry, _score in ranked:
        if entry.doc_type in ids:
            ids[entry.doc_type].append(int(entry.object_id))
    visible = {name: DOC_TYPES[name].visible(object_ids) for name, object_ids in ids.items()}
    results = []
    for entry, score in ranked:
        seen = visible.get(entry.doc_type, {}).get(int(entry.object_id))
        if seen is not None:
            results.append(Result(entry.doc_type, entry, score, seen))
    return results


def _keeps(result: Result, selected: dict[str, str], *, ignore: str = "") -> bool:
    return all(
        value in result.visible.values(facet, result.doc_type)
        for facet, value in selected.items()
        if facet != ignore
    )


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    querystring: str


@dataclass
class Facet:
    name: str
    label: Promise
    options: list[FacetOption] = field(default_factory=list)

    @property
    def selected(self) -> FacetOption | None:
        """The chosen option, if any."""
        return next((o for o in self.options if o.selected), None)


def _labels(facet: str, values: set[str]) -> list[tuple[str, str]]:
    """(value, label) in display order for the values a facet has."""
    if facet == "type":
        return [(name, str(spec.label)) for name, spec in DOC_TYPES.items() if name in values]
    if facet == "field":
        return [(f.slug, f.name) for f in Field.objects.filter(slug__in=values)]
    if facet == "municipality":
        return [(m.code, m.display_name) for m in Municipality.objects.filter(code__in=values)]
    if facet == "technology":
        return [(t.slug, t.name) for t in Technology.objects.filter(slug__in=values)]
    return [(value, str(label)) for value, label in Challenge.Status.choices if value in values]


FACET_LABELS = {
    "type": _("種類"),
    "field": _("分野"),
    "municipality": _("市町村"),
    "technology": _("技術"),
    "status": _("募集状況"),
}


def _facets(results: list[Result], request: SearchRequest) -> list[Facet]:
    """Counts per value, each facet counted with the other facets' choices applied."""
    selected = request.selected()
    facets = []
    for name in FACETS:
        counts: dict[str, int] = {}
        for result in results:
            if _keeps(result, selected, ignore=name):
                for value in set(result.visible.values(name, result.doc_type)):
                    counts[value] = counts.get(value, 0) + 1
        if name in selected:
            counts.setdefault(selected[name], 0)
        options = [
            FacetOption(
                value=value,
                label=label,
                count=counts[value],
                selected=selected.get(name) == value,
                querystring=request.querystring(
                    **{name: "" if selected.get(name) == value else value}
                ),
            )
            for value, label in _labels(name, set(counts))
        ]
        if name in ("municipality", "technology"):
            options.sort(key=lambda o: (-o.count, o.label))
        facets.append(Facet(name, FACET_LABELS[name], options))
    return facets


def _decorate(result: Result, query: str) -> Result:
    highlights = getattr(result.entry, "highlights", None) or {}
    title = highlights.get("title")
    result.title = _marked(title[0]) if title else highlight(result.entry.title, query, length=400)
    fragment = highlights.get("summary") or highlights.get("description")
    result.snippet = (
        _marked(fragment[0])
        if fragment
        else highlight(result.entry.summary or result.entry.description, query)
    )
    return result


def search_run(request: SearchRequest, *, page=None, per_page: int = 10) -> dict:
    """Ranked, visible, filtered, paginated results with facets and help for the search page.

    state tells the page which help to show: "start" (no query yet), "symbols" (nothing to
    search for in the query), "results", "filtered_out" (the facet choices exclude every
    result) or "none" (nothing matches; close terms are offered when some exist).
    """
    empty = {"page_obj": None, "facets": [], "total": 0, "suggestions": []}
    if not request.query:
        return {**empty, "state": "start"}
    if not analyze(request.query):
        return {**empty, "state": "symbols"}
    results = _visible_results(request.query)
    selected = request.selected()
    kept = [r for r in results if _keeps(r, selected)]
    page_obj = Paginator(kept, per_page).get_page(page)
    for result in page_obj.object_list:
        _decorate(result, request.query)
    if kept:
        state = "results"
    elif results:
        state = "filtered_out"
    else:
        state = "none"
    return {
        "page_obj": page_obj,
        "facets": _facets(results, request),
        "total": len(kept),
        "state": state,
        "suggestions": close_queries(request.query) if state == "none" else [],
    }


# --- Help when nothing matches -------------------------------------------------------------

_TERM_RUNS = re.compile(r"[ァ-ヴー]{2,}|[\u3400-\u4dbf\u4e00-\u9fff々]{2,}|[a-z][a-z0-9]{2,}")
_vocabulary_cache: dict = {}


def _kana_folded(text: str) -> str:
    """Katakana as hiragana, after width and case folding: ドローン and どろーん compare equal."""
    return "".join(
        chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in normalise(text)
    ).strip()


def _vocabulary() -> dict[str, str]:
    """folded key → term people can search for: words of indexed titles and summaries, the
    synonym list, and the names of fields, technologies and municipalities."""
    key = entries_state()
    if _vocabulary_cache.get("key") == key:
        return _vocabulary_cache["terms"]
    terms: dict[str, str] = {}

    def add(term: str, key: str | None = None) -> None:
        term = (term or "").strip()
        if len(term) >= 2:
            terms.setdefault(key or _kana_folded(term), term)

    for title, summary in IndexedDocument.objects.values_list("title", "summary"):
        for word in _TERM_RUNS.findall(normalise(f"{title} {summary}")):
            add(word)
    for group in synonym_groups():
        for term in group:
            add(term)
    for ja, en in Field.objects.values_list("name_ja", "name_en"):
        add(ja)
        add(en.lower())
    for ja, en in Technology.objects.values_list("name_ja", "name_en"):
        add(ja)
        add(en.lower())
    for name, kana in Municipality.objects.values_list("name", "name_kana"):
        add(name)
        add(name, _kana_folded(kana))
    _vocabulary_cache.update(key=key, terms=terms)
    return terms


def close_queries(query: str, *, limit: int = 3) -> list[dict]:
    """Queries close to one that found nothing, each with how many visible results it finds.

    Each word is compared, width- and kana-folded, with the vocabulary; only corrections that
    really return something the visitor may see are offered.
    """
    vocabulary = _vocabulary()
    keys = list(vocabulary)
    words = normalise(query).split()[:6]
    choices = []
    for word in words:
        key = _kana_folded(word)
        close = difflib.get_close_matches(key, keys, n=3, cutoff=0.75)
        options = dict.fromkeys(vocabulary[k] for k in close if vocabulary[k] != word)
        choices.append(list(options) or [word])
    candidates = [" ".join(options[0] for options in choices)]
    for position, options in enumerate(choices):
        for option in options[1:]:
            variant = [c[0] for c in choices]
            variant[position] = option
            candidates.append(" ".join(variant))
    suggestions = []
    for candidate in dict.fromkeys(candidates):
        if candidate == normalise(query) or len(suggestions) >= limit:
            continue
        found = len(_visible_results(candidate))
        if found:
            suggestions.append(
                {"query": candidate, "count": found, "querystring": urlencode({"q": candidate})}
            )
    return suggestions
