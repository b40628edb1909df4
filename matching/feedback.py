"""What people did with suggestions, as labelled evaluation data in the development sets' format.

A pairing is graded from behaviour: 3 when a proposal with that solution was accepted for the
challenge, 2 when more people voted it useful than not useful, and it is listed as not useful
(grade 0) when more voted against it. Only indexed (published) documents take part, read from
the stored index as matching reads them. ``matching.evaluation.load_labelled`` reads the
result, so ``evaluate_matching`` measures matching on the forum's own decisions.
"""

from django.db.models import Count, Q

from forum.models import Proposal
from matching.models import SuggestionFeedback
from search.models import IndexedDocument

ACCEPTED_GRADE = 3
USEFUL_GRADE = 2


def _grades() -> tuple[dict[tuple[int, int], int], set[tuple[int, int]]]:
    """(challenge id, solution id) → grade of the positive pairings, and the voted-down ones."""
    grades: dict[tuple[int, int], int] = {}
    down: set[tuple[int, int]] = set()
    votes = SuggestionFeedback.objects.values("challenge_id", "solution_id").annotate(
        up=Count("pk", filter=Q(useful=True)), against=Count("pk", filter=Q(useful=False))
    )
    for row in votes:
        pair = (row["challenge_id"], row["solution_id"])
        if row["up"] > row["against"]:
            grades[pair] = USEFUL_GRADE
        elif row["against"] > row["up"]:
            down.add(pair)
    accepted = Proposal.objects.filter(status="accepted", solution__isnull=False).values_list(
        "challenge_id", "solution_id"
    )
    for pair in accepted:
        grades[pair] = ACCEPTED_GRADE
        down.discard(pair)
    return grades, down


def _profile(entry: IndexedDocument, kind: str) -> dict:
    base = {
        "id": f"{kind}:{entry.object_id}",
        "title": entry.title,
        "summary": entry.summary,
        "description": entry.description,
        "technologies": list(entry.technologies),
    }
    if kind == "challenge":
        return {
            **base,
            "field": (entry.fields or [""])[0],
            "municipality": (entry.municipalities or [""])[0],
            "desired_stage": entry.stage,
        }
    return {
        **base,
        "fields": list(entry.fields),
        "municipalities": list(entry.municipalities),
        "stage": entry.stage,
    }


def feedback_dataset() -> dict:
    """Every indexed challenge and solution, with the graded pairings people's actions gave."""
    grades, down = _grades()
    entries = IndexedDocument.objects.filter(doc_type__in=("challenge", "solution")).order_by(
        "doc_type", "object_id"
    )
    challenges, solutions = {}, {}
    for entry in entries:
        target = challenges if entry.doc_type == "challenge" else solutions
        target[entry.object_id] = _profile(entry, entry.doc_type)
    relevance: dict[str, dict[str, int]] = {}
    for (challenge_id, solution_id), grade in sorted(grades.items()):
        if challenge_id in challenges and solution_id in solutions:
            relevance.setdefault(f"challenge:{challenge_id}", {})[f"solution:{solution_id}"] = grade
    not_useful = [
        [f"challenge:{c}", f"solution:{s}"]
        for c, s in sorted(down)
        if c in challenges and s in solutions
    ]
    return {
        "source": "forum feedback: accepted proposals (3), votes useful (2)",
        "challenges": list(challenges.values()),
        "solutions": list(solutions.values()),
        "relevance": relevance,
        "not_useful": not_useful,
    }
