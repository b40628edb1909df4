"""Index documents built from forum objects; None means the object must not be searchable."""

import hashlib
import json
from functools import lru_cache

from django.db.models import Prefetch
from django.urls import reverse

from forum.models import (
    Challenge,
    Field,
    Municipality,
    Need,
    Organisation,
    Project,
    SdgGoal,
    SolutionProfile,
    Technology,
)
from forum.selectors.tags import DATASETS, TAGGINGS
from search.analysis import detect_language
from search.vectors import embedding_text, vector_key

DOC_TYPES = ("challenge", "solution", "project", "need")
_PLACEHOLDER = 987654321


def _listed(relation: str, model, column: str) -> Prefetch:
    """A many-to-many relation read as a plain list (``listed_<relation>``) of one column.

    A list attribute instead of the related manager keeps building thousands of documents
    in the database's time rather than the ORM's.
    """
    return Prefetch(relation, model.objects.only("pk", column), to_attr=f"listed_{relation}")


@lru_cache(maxsize=1)
def _project_url_pattern() -> str:
    return reverse("projects:detail", args=[_PLACEHOLDER])


@lru_cache(maxsize=1)
def _need_url_pattern() -> str:
    return reverse("residents:need_detail", args=[_PLACEHOLDER])


def _project_url(pk: int) -> str:
    """The project's public URL (get_absolute_url), without resolving the URL conf each time."""
    return _project_url_pattern().replace(str(_PLACEHOLDER), str(pk))


def _with_hash(document: dict) -> dict:
    """Add what is derived from the text (language, vector key) and the hash of it all."""
    text = embedding_text(document["title"], document["summary"], document["description"])
    document = {**document, "language": detect_language(text), "vector_key": vector_key(text)}
    body = json.dumps(document, ensure_ascii=False, sort_keys=True, default=str)
    return {**document, "content_hash": hashlib.sha256(body.encode("utf-8")).hexdigest()}


def _sdg_codes(owner) -> list[str]:
    """The SDG goals of a challenge or project as the search page's filter values ("11")."""
    return [str(number) for number in sorted(g.number for g in owner.listed_sdg_goals)]


def _tag_facets(owner) -> dict[str, list[str]]:
    """A challenge's or project's strategy tags as the search page's facet values: SDG numbers,
    strategy theme slugs and the slugs of the listed catalogue datasets it uses."""
    return {
        "sdg": _sdg_codes(owner),
        "theme": sorted({t.theme.slug for t in owner.theme_taggings.all()}),
        "dataset": sorted(d.slug for d in owner.datasets.all()),
    }


def _challenges(ids):
    return (
        Challenge.objects.filter(pk__in=ids, is_published=True)
        .select_related("field", "municipality")
        .prefetch_related(
            _listed("technologies", Technology, "name_ja"),
            _listed("sdg_goals", SdgGoal, "number"),
            TAGGINGS,
            DATASETS,
        )
    )


def challenge_document(challenge_id: int) -> dict | None:
    """A published challenge as the index stores it."""
    challenge = _challenges([challenge_id]).first()
    return None if challenge is None else _challenge_document(challenge)


def _challenge_document(challenge: Challenge) -> dict:
    description = "\n".join(
        part for part in (challenge.background, challenge.wanted, challenge.body_text) if part
    )
    return _with_hash(
        {
            "title": challenge.title,
            "summary": challenge.summary,
            "description": description,
            "fields": [challenge.field.slug],
            "technologies": sorted(t.name_ja for t in challenge.listed_technologies),
            "municipalities": [challenge.municipality.code],
            "facets": _tag_facets(challenge),
            "stage": challenge.desired_stage,
            "status": challenge.status,
            "published_at": challenge.published_at.isoformat() if challenge.published_at else None,
            "url": challenge.url,
        }
    )


def _solutions(ids):
    return SolutionProfile.objects.filter(
        pk__in=ids, is_published=True, organisation__status=Organisation.Status.APPROVED
    ).prefetch_related(
        _listed("fields", Field, "slug"),
        _listed("technologies", Technology, "name_ja"),
        _listed("track_record_municipalities", Municipality, "code"),
    )


def solution_document(solution_id: int) -> dict | None:
    """A published solution of an approved organisation as the index stores it."""
    solution = _solutions([solution_id]).first()
    return None if solution is None else _solution_document(solution)


def _solution_document(solution: SolutionProfile) -> dict:
    return _with_hash(
        {
            "title": solution.title,
            "summary": solution.summary,
            "description": "\n".join(
                part for part in (solution.description, solution.track_record) if part
            ),
            "fields": sorted(f.slug for f in solution.listed_fields),
            "technologies": sorted(t.name_ja for t in solution.listed_technologies),
            "municipalities": sorted(m.code for m in solution.listed_track_record_municipalities),
            "facets": {},
            "stage": solution.stage,
            "status": "",
            "published_at": solution.published_at.isoformat() if solution.published_at else None,
            "url": f"/directory/solutions/{solution.pk}/",
        }
    )


def project_document(project_id: int) -> dict | None:
    """A public project as the index stores it: its curated case study is what people search.

    The summary stays out: it is written for the participants (for a project opened by an
    accepted proposal it is the proposal's own summary) and the public page does not show it.
    """
    project = _projects([project_id]).first()
    return None if project is None else _project_document(project)


def _projects(ids):
    return (
        Project.objects.filter(pk__in=ids, is_public=True)
        .select_related("field")
        .prefetch_related(
            _listed("municipalities", Municipality, "code"),
            _listed("sdg_goals", SdgGoal, "number"),
            TAGGINGS,
            DATASETS,
        )
    )


def _project_document(project: Project) -> dict:
    return _with_hash(
        {
            "title": project.title,
            "summary": "",
            "description": project.case_study,
            "fields": [project.field.slug],
            "technologies": [],
            "municipalities": sorted(m.code for m in project.listed_municipalities),
            "facets": _tag_facets(project),
            "stage": project.stage,
            "status": "",
            "published_at": project.created_at.isoformat(),
            "url": _project_url(project.pk),
        }
    )


def need_document(need_id: int) -> dict | None:
    """A published resident's need as the index stores it: what its public page shows.

    The resident who sent it stays out (the page signs it only with the municipality), and so
    does its support count, which the search page reads from the database when it shows it.
    """
    need = _needs([need_id]).first()
    return None if need is None else _need_document(need)


def _needs(ids):
    return Need.objects.filter(pk__in=ids, status=Need.Status.PUBLISHED).select_related(
        "field", "municipality"
    )


def _need_document(need: Need) -> dict:
    return _with_hash(
        {
            "title": need.title,
            "summary": need.place_name,
            "description": need.description,
            "fields": [need.field.slug],
            "technologies": [],
            "municipalities": [need.municipality.code],
            "facets": {},
            "stage": "",
            "status": "",
            "published_at": need.published_at.isoformat() if need.published_at else None,
            "url": _need_url_pattern().replace(str(_PLACEHOLDER), str(need.pk)),
        }
    )


# doc type → (rows of these ids that belong in the index, the document of one row)
_BATCHED = {
    "challenge": (_challenges, _challenge_document),
    "solution": (_solutions, _solution_document),
    "project": (_projects, _project_document),
    "need": (_needs, _need_document),
}


def documents_build(doc_type: str, ids: list[int], *, progress=None) -> dict[int, dict]:
    """object id → document of the ids that belong in the index, read 500 rows at a time.

    Gives the same documents as BUILDERS one by one, in a few queries per 500 objects.
    """
    rows, document_of = _BATCHED[doc_type]
    documents = {}
    for start in range(0, len(ids), 500):
        for row in rows(ids[start : start + 500]):
            documents[row.pk] = document_of(row)
        if progress is not None:
            progress(doc_type, min(start + 500, len(ids)), len(ids))
    return documents


BUILDERS = {
    "challenge": challenge_document,
    "solution": solution_document,
    "project": project_document,
    "need": need_document,
}


def searchable_ids(doc_type: str) -> list[int]:
    """Ids of every object of the type that belongs in the index."""
    if doc_type == "challenge":
        return list(Challenge.objects.filter(is_published=True).values_list("pk", flat=True))
    if doc_type == "project":
        return list(Project.objects.filter(is_public=True).values_list("pk", flat=True))
    if doc_type == "need":
        return list(Need.objects.filter(status=Need.Status.PUBLISHED).values_list("pk", flat=True))
    return list(
        SolutionProfile.objects.filter(
            is_published=True, organisation__status=Organisation.Status.APPROVED
        ).values_list("pk", flat=True)
    )
