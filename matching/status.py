"""What the secretariat's matching page shows: evaluation runs, votes and the index's health.

Read-only; the index's health degrades to "unknown" when the backend cannot be read.
"""

import logging
from dataclasses import dataclass, field

from django.db.models import Count, Q

from matching.models import EvaluationRun, SuggestionFeedback
from matching.query import CLAUSE_LABELS
from search.models import IndexOutbox
from search.services import index_check, vectors_missing

logger = logging.getLogger(__name__)
LABELLED_RUNS = 10
WORST_PAIRS = 10


@dataclass
class IndexHealth:
    """Differences with the database, changes waiting in the outbox, documents without vector."""

    differences: int | None  # None when the index could not be read
    outbox_backlog: int
    waiting_for_vector: int
    details: dict = field(default_factory=dict)


def evaluation_runs_latest() -> list[EvaluationRun]:
    """The newest run of each labelled set."""
    latest: dict[str, EvaluationRun] = {}
    for run in EvaluationRun.objects.order_by("-created_at", "-pk")[:200]:
        latest.setdefault(run.dataset, run)
    return sorted(latest.values(), key=lambda r: r.dataset)[:LABELLED_RUNS]


def feedback_counts() -> dict[str, int | float | None]:
    """Votes useful and not useful, and the useful rate (None before any vote)."""
    counts = SuggestionFeedback.objects.aggregate(
        up=Count("pk", filter=Q(useful=True)), against=Count("pk", filter=Q(useful=False))
    )
    total = counts["up"] + counts["against"]
    return {
        "useful": counts["up"],
        "not_useful": counts["against"],
        "total": total,
        "rate": counts["up"] / total if total else None,
    }


@dataclass
class ReasonVotes:
    """The votes cast on pairs shown with one kind of reason, and the share found useful."""

    clause: str
    label: str
    useful: int = 0
    not_useful: int = 0

    @property
    def total(self) -> int:
        """Votes either way."""
        return self.useful + self.not_useful

    @property
    def rate(self) -> float | None:
        """Useful votes over all votes (None before any)."""
        return self.useful / self.total if self.total else None


def feedback_by_reason() -> list[ReasonVotes]:
    """Per kind of reason (clause), the votes on pairs shown with it, in the query's order.

    A vote counts once for every kind of reason its pair was shown with; votes recorded before
    reasons were kept count under none. Read in one pass over the votes' (useful, reasons).
    """
    rows = {clause: ReasonVotes(clause, str(label)) for clause, label in CLAUSE_LABELS.items()}
    for useful, reasons in SuggestionFeedback.objects.values_list("useful", "reasons").iterator():
        for clause in set(reasons or ()):
            row = rows.get(clause)
            if row is None:
                continue
            if useful:
                row.useful += 1
            else:
                row.not_useful += 1
    return list(rows.values())


def pairs_voted_down() -> list[dict]:
    """The pairings most often voted not useful, with their votes either way."""
    return list(
        SuggestionFeedback.objects.values("challenge__title", "solution__title")
        .annotate(
            against=Count("pk", filter=Q(useful=False)), up=Count("pk", filter=Q(useful=True))
        )
        .filter(against__gt=0)
        .order_by("-against", "up", "challenge__title")[:WORST_PAIRS]
    )


def index_health() -> IndexHealth:
    """The index against the database; the backlog and the vectors still to compute."""
    try:
        check = index_check()
        differences, details = (
            check.total,
            {
                "missing": sum(len(v) for v in check.missing.values()),
                "extra": sum(len(v) for v in check.extra.values()),
                "stale": sum(len(v) for v in check.stale.values()),
            },
        )
    except Exception as exc:  # a failing backend degrades the page, never breaks it
        logger.warning("index check failed on the matching page: %s", exc)
        differences, details = None, {}
    return IndexHealth(
        differences=differences,
        outbox_backlog=IndexOutbox.objects.filter(processed_at__isnull=True).count(),
        waiting_for_vector=vectors_missing(),
        details=details,
    )
