"""Search results the visitor may see: one page ranked, filtered and counted by the backend.

The index holds only what may be shown (documents are built for published objects of approved
organisations and public projects only) and every change reaches it through the outbox. The one
way it can be behind is a change still waiting in the outbox: hidden_entries checks just those
pending ids against the database (not every hit), and the backend leaves the withdrawn ones out
of the hits and the counts. The backend filters by the facet choices and counts each facet (the
embedded backend on its arrays, Elasticsearch with filters and aggregations); only the shown page
of results is read from the database (results_load_page), for its labels.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from forum.models import Challenge, Need, Organisation, Project, SolutionProfile
from search.backends import get_backend, get_store
from search.backends.base import SearchPage, SearchQuery
from search.models import IndexOutbox

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Visible:
    """What the database says about one shown result: its labels (the facets come from the index)."""

    status: str = ""
    status_label: str = ""
    meta: str = ""
    # The English version of a challenge or a public project (its name and case study), for
    # the English site; translatable says the type can have one (forum/language.py).
    translatable: bool = False
    title_en: str = ""
    summary_en: str = ""


# Above this many ids (a long outbox backlog), every visible id of the type is read and
# intersected in Python: one query of integers, cheaper than thousands of parameters.
MANY_IDS = 200


def _ids_among(rows, ids: list[int]) -> set[int]:
    """The ids among `ids` of the rows (a queryset of the visible objects of one type)."""
    if len(ids) > MANY_IDS:
        return set(rows.values_list("pk", flat=True)) & set(ids)
    return set(rows.filter(pk__in=ids).values_list("pk", flat=True))


def _challenge_ids_visible(ids: list[int]) -> set[int]:
    return _ids_among(Challenge.objects.filter(is_published=True), ids)


def _solution_ids_visible(ids: list[int]) -> set[int]:
    rows = SolutionProfile.objects.filter(
        is_published=True, organisation__status=Organisation.Status.APPROVED
    )
    return _ids_among(rows, ids)


def _project_ids_visible(ids: list[int]) -> set[int]:
    return _ids_among(Project.objects.filter(is_public=True), ids)


def _need_ids_visible(ids: list[int]) -> set[int]:
    return _ids_among(Need.objects.filter(status=Need.Status.PUBLISHED), ids)


def _challenges_visible(ids: list[int]) -> dict[int, Visible]:
    rows = Challenge.objects.filter(pk__in=ids, is_published=True).select_related(
        "field", "municipality"
    )
    return {
        c.pk: Visible(
            status=c.status,
            status_label=c.get_status_display(),
            meta=f"{c.municipality}・{c.field}",
            translatable=True,
            title_en=c.title_en,
            summary_en=c.summary_en if c.title_en else "",
        )
        for c in rows
    }


def _solutions_visible(ids: list[int]) -> dict[int, Visible]:
    rows = SolutionProfile.objects.filter(
        pk__in=ids, is_published=True, organisation__status=Organisation.Status.APPROVED
    ).select_related("organisation")
    return {s.pk: Visible(meta=s.organisation.name) for s in rows}


def _projects_visible(ids: list[int]) -> dict[int, Visible]:
    rows = Project.objects.filter(pk__in=ids, is_public=True).select_related("field")
    return {
        p.pk: Visible(
            meta=f"{p.get_stage_display()}・{p.field}",
            translatable=True,
            title_en=p.title_en,
            summary_en=p.case_study_en,
        )
        for p in rows
    }


def _needs_visible(ids: list[int]) -> dict[int, Visible]:
    """Published needs with their support counted now (the index holds no count)."""
    rows = (
        Need.objects.filter(pk__in=ids, status=Need.Status.PUBLISHED)
        .select_related("field", "municipality")
        .annotate(support_count=Count("supports"))
    )
    return {
        n.pk: Visible(
            meta=gettext("%(municipality)s・%(field)s・応援 %(count)d人")
            % {"municipality": n.municipality, "field": n.field, "count": n.support_count},
        )
        for n in rows
    }


@dataclass(frozen=True)
class DocType:
    """A kind of public document the page searches: its label, badge and who may see which."""

    label: Promise  # the facet's name for the type (a plural in English)
    badge: str
    visible: Callable[[list[int]], dict[int, Visible]]
    one: Promise  # one result's badge (a singular in English)
    visible_ids: Callable[[list[int]], set[int]]


DOC_TYPES: dict[str, DocType] = {
    "challenge": DocType(
        _("地域課題"),
        "text-bg-primary",
        _challenges_visible,
        pgettext_lazy("one search result", "地域課題"),
        _challenge_ids_visible,
    ),
    "solution": DocType(
        _("ソリューション"),
        "text-bg-success",
        _solutions_visible,
        pgettext_lazy("one search result", "ソリューション"),
        _solution_ids_visible,
    ),
    "project": DocType(
        _("プロジェクト"),
        "text-bg-warning",
        _projects_visible,
        pgettext_lazy("one search result", "プロジェクト"),
        _project_ids_visible,
    ),
    "need": DocType(
        _("地域の困りごと"),
        "text-bg-info",
        _needs_visible,
        pgettext_lazy("one search result", "地域の困りごと"),
        _need_ids_visible,
    ),
}


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


def hidden_entries() -> frozenset[tuple[str, int]]:
    """(doc type, id) of entries the index may still hold although they may not be shown.

    Only objects with a change waiting in the outbox can be behind in the index: one query
    of those rows, then one of ids per type that has any (usually none at all).
    """
    pending: dict[str, list[int]] = {}
    rows = IndexOutbox.objects.filter(processed_at__isnull=True).order_by()
    for doc_type, object_id in rows.values_list("doc_type", "object_id").distinct():
        if doc_type in DOC_TYPES:
            pending.setdefault(doc_type, []).append(object_id)
    hidden = set()
    for doc_type, object_ids in pending.items():
        shown = DOC_TYPES[doc_type].visible_ids(object_ids)
        hidden.update((doc_type, pk) for pk in object_ids if pk not in shown)
    return frozenset(hidden)


def search_page(query: SearchQuery) -> SearchPage:
    """The configured backend's page of results; the embedded store answers if it fails."""
    backend, store = get_backend(), get_store()
    try:
        return backend.search_page(query)
    except Exception:
        if backend is store:
            raise
        logger.warning("Search backend failed; answering from the embedded store.", exc_info=True)
        return store.search_page(query)


def results_count(text: str) -> int:
    """How many results a visitor may see for a query, before any facet choice."""
    query = SearchQuery(text, tuple(DOC_TYPES), limit=0, hidden=hidden_entries())
    return search_page(query).matched


def results_load_page(page: SearchPage) -> list[Result]:
    """The page's hits read from their rows (labels, meta) in one query per type.

    A hit whose row says it may no longer be shown is dropped.
    """
    ids: dict[str, list[int]] = {}
    for hit, _score in page.hits:
        ids.setdefault(hit.doc_type, []).append(int(hit.object_id))
    rows = {name: DOC_TYPES[name].visible(object_ids) for name, object_ids in ids.items()}
    loaded = []
    for hit, score in page.hits:
        visible = rows[hit.doc_type].get(int(hit.object_id))
        if visible is not None:
            loaded.append(Result(hit.doc_type, hit, score, visible))
    return loaded
