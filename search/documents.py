"""Index documents built from forum objects; None means the object must not be searchable."""

import hashlib
import json

from forum.models import Challenge, Organisation, Project, SolutionProfile
from search.analysis import detect_language
from search.vectors import embedding_text, vector_key

DOC_TYPES = ("challenge", "solution", "project")


def _with_hash(document: dict) -> dict:
    """Add what is derived from the text (language, vector key) and the hash of it all."""
    text = embedding_text(document["title"], document["summary"], document["description"])
    document = {**document, "language": detect_language(text), "vector_key": vector_key(text)}
    body = json.dumps(document, ensure_ascii=False, sort_keys=True, default=str)
    return {**document, "content_hash": hashlib.sha256(body.encode("utf-8")).hexdigest()}


def challenge_document(challenge_id: int) -> dict | None:
    """A published challenge as the index stores it."""
    challenge = (
        Challenge.objects.filter(pk=challenge_id, is_published=True)
        .select_related("field", "municipality")
        .prefetch_related("technologies")
        .first()
    )
    if challenge is None:
        return None
    description = "\n".join(
        part for part in (challenge.background, challenge.wanted, challenge.body_text) if part
    )
    return _with_hash(
        {
            "title": challenge.title,
            "summary": challenge.summary,
            "description": description,
            "fields": [challenge.field.slug],
            "technologies": sorted(t.name_ja for t in challenge.technologies.all()),
            "municipalities": [challenge.municipality.code],
            "stage": challenge.desired_stage,
            "status": challenge.status,
            "published_at": challenge.published_at.isoformat() if challenge.published_at else None,
            "url": challenge.url,
        }
    )


def solution_document(solution_id: int) -> dict | None:
    """A published solution of an approved organisation as the index stores it."""
    solution = (
        SolutionProfile.objects.filter(
            pk=solution_id, is_published=True, organisation__status=Organisation.Status.APPROVED
        )
        .prefetch_related("fields", "technologies", "track_record_municipalities")
        .first()
    )
    if solution is None:
        return None
    return _with_hash(
        {
            "title": solution.title,
            "summary": solution.summary,
            "description": "\n".join(
                part for part in (solution.description, solution.track_record) if part
            ),
            "fields": sorted(f.slug for f in solution.fields.all()),
            "technologies": sorted(t.name_ja for t in solution.technologies.all()),
            "municipalities": sorted(m.code for m in solution.track_record_municipalities.all()),
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
    project = (
        Project.objects.filter(pk=project_id, is_public=True)
        .select_related("field")
        .prefetch_related("municipalities")
        .first()
    )
    if project is None:
        return None
    return _with_hash(
        {
            "title": project.title,
            "summary": "",
            "description": project.case_study,
            "fields": [project.field.slug],
            "technologies": [],
            "municipalities": sorted(m.code for m in project.municipalities.all()),
            "stage": project.stage,
            "status": "",
            "published_at": project.created_at.isoformat(),
            "url": project.get_absolute_url(),
        }
    )


BUILDERS = {
    "challenge": challenge_document,
    "solution": solution_document,
    "project": project_document,
}


def searchable_ids(doc_type: str) -> list[int]:
    """Ids of every object of the type that belongs in the index."""
    if doc_type == "challenge":
        return list(Challenge.objects.filter(is_published=True).values_list("pk", flat=True))
    if doc_type == "project":
        return list(Project.objects.filter(is_public=True).values_list("pk", flat=True))
    return list(
        SolutionProfile.objects.filter(
            is_published=True, organisation__status=Organisation.Status.APPROVED
        ).values_list("pk", flat=True)
    )
