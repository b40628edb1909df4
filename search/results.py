"""Search results the visitor may see: candidates ranked by the backend, checked against the database.

The backend ranks; the database decides what may be shown. Every candidate is checked against
its row (published, organisation approved) in one query of ids per type before it is counted
or listed, so an object that was withdrawn a moment ago, whose index entry has not caught up
yet, never appears. Facet values (field, municipality, technology, status) come from the
stored index's facet columns, so counting them loads no rows; the strategy tags (SDGs, themes,
datasets), which the index does not keep, come from the tag tables, one query per tag kind and
type, whichever backend ranked the candidates. Only the shown page of results is loaded from
the database (results_load_page), for its labels.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.db.models import Count
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from forum.models import (
    CatalogDataset,
    Challenge,
    Need,
    Organisation,
    Project,
    SdgGoal,
    SolutionProfile,
    ThemeTagging,
)
from forum.selectors.tags import DATASETS, TAGGINGS
from search.backends import get_backend, get_store
from search.backends.embedded import facet_columns

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Visible:
    """What the database says about one result that may be shown: its facet values and labels."""

    fields: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    technologies: tuple[str, ...] = ()
    sdgs: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    status: str = ""
    status_label: str = ""
    meta: str = ""
    # The English version of a challenge or a public project (its name and case study), for
    # the English site; translatable says the type can have one (forum/language.py).
    translatable: bool = False
    title_en: str = ""
    summary_en: str = ""

    def values(self, facet: str, doc_type: str) -> tuple[str, ...]:
        """The result's values for one facet."""
        if facet == "type":
            return (doc_type,)
        if facet == "status":
            return (self.status,) if self.status else ()
        return getattr(
            self,
            {
                "field": "fields",
                "municipality": "municipalities",
                "technology": "technologies",
                "sdg": "sdgs",
                "theme": "themes",
                "dataset": "datasets",
            }[facet],
        )


# Above this many candidates, every visible id of the type is read and intersected in Python:
# one query of integers, cheaper than a list of thousands of parameters.
MANY_IDS = 200


def _ids_among(rows, ids: list[int]) -> set[int]:
    """The ids among `ids` of the rows (a queryset of the visible objects of one type)."""
    if len(ids) > MANY_IDS:
        return set(rows.values_list("pk", flat=True)) & set(ids)
    return set(rows.filter(pk__in=ids).values_list("pk", flat=True))


def _tag_codes(rows, owner: str, code: str, ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Tag codes per object among `ids` from one tag table's rows (the index holds no tags)."""
    wanted = set(ids)
    if len(ids) <= MANY_IDS:
        rows = rows.filter(**{f"{owner}_id__in": ids})
    codes: dict[int, list[str]] = {}
    for object_id, value in rows.values_list(f"{owner}_id", code):
        if object_id in wanted:
            codes.setdefault(object_id, []).append(str(value))
    return {object_id: tuple(values) for object_id, values in codes.items()}


def _tag_tables(owner: str) -> dict[str, tuple]:
    """Visible's attribute → (the tag rows of challenges or projects, the code column)."""
    sdgs = SdgGoal.challenges if owner == "challenge" else SdgGoal.projects
    datasets = CatalogDataset.challenges if owner == "challenge" else CatalogDataset.projects
    return {
        "sdgs": (sdgs.through.objects.order_by("sdggoal__number"), "sdggoal__number"),
        "themes": (
            ThemeTagging.objects.filter(**{f"{owner}__isnull": False}).order_by(
                "theme__sort_order", "theme_id"
            ),
            "theme__slug",
        ),
        "datasets": (
            datasets.through.objects.filter(catalogdataset__is_active=True).order_by(
                "catalogdataset__slug"
            ),
            "catalogdataset__slug",
        ),
    }


def _with_tags(columns: dict[tuple[str, int], Visible]) -> None:
    """Add the SDGs, strategy themes and datasets of the challenges and projects among
    `columns` (one query per tag kind and type)."""
    for name in ("challenge", "project"):
        ids = [pk for doc_type, pk in columns if doc_type == name]
        if not ids:
            continue
        for attribute, (rows, code) in _tag_tables(name).items():
            for pk, codes in _tag_codes(rows, name, code, ids).items():
                columns[(name, pk)] = replace(columns[(name, pk)], **{attribute: codes})


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
    rows = (
        Challenge.objects.filter(pk__in=ids, is_published=True)
        .select_related("field", "municipality")
        .prefetch_related("technologies", "sdg_goals", TAGGINGS, DATASETS)
    )
    return {
        c.pk: Visible(
            fields=(c.field.slug,),
            municipalities=(c.municipality.code,),
            technologies=tuple(t.slug for t in c.technologies.all()),
            sdgs=tuple(g.code for g in c.sdg_goals.all()),
            themes=tuple(t.theme.slug for t in c.theme_taggings.all()),
            datasets=tuple(d.slug for d in c.datasets.all()),
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
        .prefetch_related("municipalities", "sdg_goals", TAGGINGS, DATASETS)
    )
    return {
        p.pk: Visible(
            fields=(p.field.slug,),
            municipalities=tuple(m.code for m in p.municipalities.all()),
            sdgs=tuple(g.code for g in p.sdg_goals.all()),
            themes=tuple(t.theme.slug for t in p.theme_taggings.all()),
            datasets=tuple(d.slug for d in p.datasets.all()),
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
            fields=(n.field.slug,),
            municipalities=(n.municipality.code,),
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


def ranked_candidates(query: str) -> list:
    """Candidates from the configured backend; the embedded store stands in if it fails."""
    backend, store = get_backend(), get_store()
    try:
        return backend.search(query, doc_types=tuple(DOC_TYPES))
    except Exception:
        if backend is store:
            raise
        logger.warning("Search backend failed; answering from the embedded store.", exc_info=True)
        return store.search(query, doc_types=tuple(DOC_TYPES))


def _from_columns(columns) -> Visible:
    """Facet values only: labels are read from the row of a shown result (results_load_page)."""
    return Visible(
        fields=columns.fields,
        municipalities=columns.municipalities,
        technologies=columns.technologies,
        status=columns.status,
    )


def visible_results(query: str) -> list[Result]:
    """The candidates for a query that the database says may be shown, in ranked order.

    Each result's facet values come from the stored index; a candidate the store does not
    hold (another backend ahead of it) is read from its row instead.
    """
    ranked = ranked_candidates(query)
    ids: dict[str, list[int]] = {name: [] for name in DOC_TYPES}
    for entry, _score in ranked:
        if entry.doc_type in ids:
            ids[entry.doc_type].append(int(entry.object_id))
    shown = {
        name: DOC_TYPES[name].visible_ids(object_ids) if object_ids else set()
        for name, object_ids in ids.items()
    }
    keys = [(name, pk) for name, object_ids in shown.items() for pk in object_ids]
    columns = {key: _from_columns(value) for key, value in facet_columns(keys).items()}
    _with_tags(columns)
    for name, object_ids in shown.items():
        unknown = [pk for pk in object_ids if (name, pk) not in columns]
        if unknown:
            columns.update(((name, pk), v) for pk, v in DOC_TYPES[name].visible(unknown).items())
    results = []
    for entry, score in ranked:
        seen = columns.get((entry.doc_type, int(entry.object_id)))
        if seen is not None:
            results.append(Result(entry.doc_type, entry, score, seen))
    return results


def results_load_page(results: list[Result]) -> list[Result]:
    """The shown page's results read from their rows (labels, meta); withdrawn ones dropped."""
    ids: dict[str, list[int]] = {}
    for result in results:
        ids.setdefault(result.doc_type, []).append(int(result.entry.object_id))
    rows = {name: DOC_TYPES[name].visible(object_ids) for name, object_ids in ids.items()}
    loaded = []
    for result in results:
        visible = rows[result.doc_type].get(int(result.entry.object_id))
        if visible is not None:
            result.visible = visible
            loaded.append(result)
    return loaded
