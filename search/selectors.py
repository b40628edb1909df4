"""The public search: one box over the public document types, with facets, highlighted snippets
and help when nothing matches.

This module reads the request and puts the page together; the visible results come from
search.results (the backend ranks, the database decides what may be shown), the marks from
search.highlight and the close terms from search.close_terms. The backend filters by the facet
choices and counts each facet over the same hits, so a count always equals what clicking it
lists; only the shown page is read from the database.
"""

import unicodedata
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from forum.filters import (
    Choice,
    FilterSpec,
    challenge_status_filter,
    dataset_filter,
    field_filter,
    municipality_filter,
    sdg_filter,
    technology_filter,
    theme_filter,
)
from forum.language import is_english, localized_as
from forum.models import (
    CatalogDataset,
    Challenge,
    Field,
    Municipality,
    SdgGoal,
    StrategyTheme,
    Technology,
)
from search.analysis import analyze
from search.backends.base import FACETS, SearchQuery
from search.close_terms import close_queries
from search.highlight import highlight, marked
from search.query_units import query_units
from search.results import DOC_TYPES, Result, hidden_entries, results_load_page, search_page

MAX_QUERY = 200


# The page's facets as filters: the reference ones are the public lists' own (forum/filters.py).
SEARCH_FILTERS = FilterSpec(
    Choice("type", lambda: list(DOC_TYPES)),
    field_filter(),
    municipality_filter(),
    technology_filter(),
    sdg_filter(),
    theme_filter(),
    dataset_filter(),
    challenge_status_filter(),
)


@dataclass
class SearchRequest:
    """A cleaned search request; unknown values are dropped, long queries cut."""

    query: str = ""
    doc_type: str = ""
    field: str = ""
    municipality: str = ""
    technology: str = ""
    sdg: str = ""
    theme: str = ""
    dataset: str = ""
    status: str = ""
    truncated: bool = False

    @classmethod
    def from_query(cls, params) -> "SearchRequest":
        """Read the GET parameters of the search page."""
        raw = unicodedata.normalize("NFKC", params.get("q") or "").strip()
        raw = " ".join(raw.split())

        values = SEARCH_FILTERS.parse(params).values
        return cls(
            query=raw[:MAX_QUERY],
            doc_type=values["type"],
            field=values["field"],
            municipality=values["municipality"],
            technology=values["technology"],
            sdg=values["sdg"],
            theme=values["theme"],
            dataset=values["dataset"],
            status=values["status"],
            truncated=len(raw) > MAX_QUERY,
        )

    def selected(self) -> dict[str, str]:
        """facet → chosen value, for the facets that are set."""
        values = {
            "type": self.doc_type,
            "field": self.field,
            "municipality": self.municipality,
            "technology": self.technology,
            "sdg": self.sdg,
            "theme": self.theme,
            "dataset": self.dataset,
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
    if facet == "sdg":
        return [(g.code, str(g)) for g in SdgGoal.objects.filter(number__in=values)]
    if facet == "theme":
        return [(t.slug, t.name) for t in StrategyTheme.objects.filter(slug__in=values)]
    if facet == "dataset":
        return [(d.slug, d.name) for d in CatalogDataset.objects.filter(slug__in=values)]
    return [(value, str(label)) for value, label in Challenge.Status.choices if value in values]


FACET_LABELS = {
    "type": _("種類"),
    "field": _("分野"),
    "municipality": _("市町村"),
    "technology": _("技術"),
    "sdg": _("SDGs"),
    "theme": _("戦略テーマ"),
    "dataset": _("利用するデータセット"),
    "status": _("募集状況"),
}


def _facets(all_counts: dict[str, dict[str, int]], request: SearchRequest) -> list[Facet]:
    """The backend's counts per value with labels, each facet counted with the other facets'
    choices applied."""
    selected = request.selected()
    facets = []
    for name in FACETS:
        counts = dict(all_counts.get(name, {}))
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
    technologies = list(getattr(result.entry, "technologies", None) or [])
    result.title = (
        marked(title[0], query, technologies=technologies)
        if title
        else highlight(result.entry.title, query, length=400, technologies=technologies)
    )
    fragment = highlights.get("summary") or highlights.get("description")
    result.snippet = (
        marked(fragment[0], query, technologies=technologies)
        if fragment
        else _snippet(result.entry, query, technologies)
    )
    return _in_visitor_language(result, query)


def _snippet(entry, query: str, technologies: list[str]) -> str:
    """The summary with what matched marked, or the part of the description where the query
    matched when the summary does not hold it (as Elasticsearch's fragments do)."""
    for text in (entry.summary, entry.description):
        if text:
            snippet = highlight(text, query, technologies=technologies)
            if "<mark>" in snippet:
                return snippet
    return highlight(entry.summary or entry.description, query, technologies=technologies)


def _in_visitor_language(result: Result, query: str) -> Result:
    """On the English site a challenge or project shows its English version where it has one;
    otherwise its Japanese title is marked as such (forum.language)."""
    visible = result.visible
    if not (is_english() and visible.translatable):
        return result
    if not visible.title_en:
        result.title = localized_as(result.title, english=False)
        return result
    result.title = localized_as(highlight(visible.title_en, query, length=400), english=True)
    if visible.summary_en:
        result.snippet = highlight(visible.summary_en, query)
    return result


class _Counted:
    """The hits of one page standing for all `total` of them, as the paginator reads them."""

    def __init__(self, total: int, page: list):
        self.total, self.page = total, page

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, key):
        return self.page


def _page_number(page) -> int:
    try:
        return max(1, int(page))
    except (TypeError, ValueError):
        return 1


def _search_page(request: SearchRequest, number: int, per_page: int):
    """The backend's answer for one page number (past the last page, the last page's), and
    whether it holds results with only some of the query's words."""
    query = SearchQuery(
        request.query,
        tuple(DOC_TYPES),
        filters=request.selected(),
        offset=(number - 1) * per_page,
        limit=per_page,
        hidden=hidden_entries(),
    )
    answer = search_page(query)
    if not answer.matched and len(query_units(request.query)) > 1:
        # Nothing holds every word: show what holds some of them, and say so.
        query = replace(query, any_part=True)
        answer = search_page(query)
    if answer.hits or answer.total == 0 or number == 1:
        return number, query.any_part, answer
    last = -(-answer.total // per_page)
    return last, query.any_part, search_page(replace(query, offset=(last - 1) * per_page))


def search_run(request: SearchRequest, *, page=None, per_page: int = 10) -> dict:
    """Ranked, visible, filtered, paginated results with facets and help for the search page.

    state tells the page which help to show: "start" (no query yet), "symbols" (nothing to
    search for in the query), "results", "filtered_out" (the facet choices exclude every
    result) or "none" (nothing matches; close terms are offered when some exist). Every word
    of the query must be found; when no document holds them all, the documents holding some
    of them are shown and ``partial`` is true.
    """
    empty = {"page_obj": None, "facets": [], "total": 0, "suggestions": []}
    if not request.query:
        return {**empty, "state": "start"}
    if not analyze(request.query):
        return {**empty, "state": "symbols"}
    number, partial, answer = _search_page(request, _page_number(page), per_page)
    shown = results_load_page(answer)
    page_obj = Paginator(_Counted(answer.total, shown), per_page).get_page(number)
    for result in page_obj.object_list:
        _decorate(result, request.query)
    if answer.total:
        state = "results"
    elif answer.matched:
        state = "filtered_out"
    else:
        state = "none"
    return {
        "page_obj": page_obj,
        "facets": _facets(answer.facets, request),
        "total": answer.total,
        "state": state,
        "partial": partial,
        "suggestions": close_queries(request.query) if state == "none" else [],
    }
