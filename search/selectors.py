"""The public search: one box over the public document types, with facets, highlighted snippets
and help when nothing matches.

This module reads the request and puts the page together; the visible results come from
search.results (the backend ranks, the database decides what may be shown), the marks from
search.highlight and the close terms from search.close_terms. Facet values come from the same
columns as the results are filtered by, so a count always equals what clicking it lists; only
the shown page is read from the database.
"""

import unicodedata
from dataclasses import dataclass, field
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
from search.close_terms import close_queries
from search.highlight import highlight, marked
from search.results import DOC_TYPES, Result, results_load_page, visible_results

MAX_QUERY = 200
FACETS = ("type", "field", "municipality", "technology", "sdg", "theme", "dataset", "status")


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


def _facet_counts(results: list[Result], selected: dict[str, str]) -> dict[str, dict[str, int]]:
    """facet → value → count, each facet counted with the other facets' choices applied.

    One pass: a result counts for a facet when no choice of another facet excludes it.
    """
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for result in results:
        values = {name: result.visible.values(name, result.doc_type) for name in FACETS}
        failing = [name for name, value in selected.items() if value not in values[name]]
        if len(failing) > 1:
            continue
        for name in failing or FACETS:
            tally = counts[name]
            for value in set(values[name]):
                tally[value] = tally.get(value, 0) + 1
    return counts


def _facets(results: list[Result], request: SearchRequest) -> list[Facet]:
    """Counts per value, each facet counted with the other facets' choices applied."""
    selected = request.selected()
    all_counts = _facet_counts(results, selected)
    facets = []
    for name in FACETS:
        counts = all_counts[name]
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
        else highlight(
            result.entry.summary or result.entry.description, query, technologies=technologies
        )
    )
    return _in_visitor_language(result, query)


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
    results = visible_results(request.query)
    selected = request.selected()
    kept = [r for r in results if _keeps(r, selected)]
    page_obj = Paginator(kept, per_page).get_page(page)
    page_obj.object_list = results_load_page(list(page_obj.object_list))
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
