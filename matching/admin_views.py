"""The secretariat's matching page in the admin, and the download of the feedback data."""

import json

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from forum.selectors.roles import user_is_secretariat
from matching.feedback import feedback_dataset
from matching.status import (
    evaluation_runs_latest,
    feedback_by_reason,
    feedback_counts,
    index_health,
    pairs_voted_down,
)

DIRECTIONS = ("challenge_to_solutions", "solution_to_challenges")
METRICS = ("ndcg@5", "p@3", "mrr", "mrr_answerable")


def _require_secretariat(request) -> None:
    if not user_is_secretariat(request.user):
        raise PermissionDenied


def _share(useful: int, total: int) -> str | None:
    """The useful votes' share in whole percent, e.g. "67%"; None before any vote."""
    return f"{round(100 * useful / total)}%" if total else None


def matching_status(request):
    """Latest evaluation figures, votes and the index's health, for the secretariat only."""
    _require_secretariat(request)
    votes = feedback_counts()
    by_reason = feedback_by_reason()
    runs = [
        {
            "run": run,
            "rows": [(d, *(run.scores.get(d, {}).get(m) for m in METRICS)) for d in DIRECTIONS],
        }
        for run in evaluation_runs_latest()
    ]
    return render(
        request,
        "matching/admin_status.html",
        {
            "runs": runs,
            "votes": votes,
            "useful_share": _share(votes["useful"], votes["total"]),
            "votes_by_reason": by_reason,
            "reason_shares": [(row, _share(row.useful, row.total)) for row in by_reason],
            "voted_down": pairs_voted_down(),
            "health": index_health(),
        },
    )


def matching_feedback_download(request):
    """The votes and accepted proposals as a labelled set (evaluate_matching reads it)."""
    _require_secretariat(request)
    body = json.dumps(feedback_dataset(), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"matching-feedback-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
