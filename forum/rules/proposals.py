"""How a proposal moves: the named actions, which side takes each and from which statuses.

A user's side on a proposal is PROPOSER (a member of the proposing organisation), REVIEWER
(staff of the challenge's municipality, once it is submitted) or SECRETARIAT (reads only).
The proposal services refuse any action this table does not give the user's side; the pages
and the API offer only the ones it does.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from forum.models import Challenge, Proposal
from forum.rules.calls import call_intake_refusal

PROPOSER, REVIEWER, SECRETARIAT = "proposer", "reviewer", "secretariat"

S = Proposal.Status


@dataclass(frozen=True)
class Transition:
    """One named action: the statuses it starts from, where it leads and which side takes it."""

    sources: tuple[str, ...]
    target: str
    side: str


TRANSITIONS = {
    "submit": Transition((S.DRAFT,), S.SUBMITTED, PROPOSER),
    "withdraw": Transition(
        (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.SHORTLISTED), S.WITHDRAWN, PROPOSER
    ),
    "review": Transition((S.SUBMITTED,), S.UNDER_REVIEW, REVIEWER),
    "shortlist": Transition((S.SUBMITTED, S.UNDER_REVIEW), S.SHORTLISTED, REVIEWER),
    "accept": Transition((S.SUBMITTED, S.UNDER_REVIEW, S.SHORTLISTED), S.ACCEPTED, REVIEWER),
    "decline": Transition((S.SUBMITTED, S.UNDER_REVIEW, S.SHORTLISTED), S.DECLINED, REVIEWER),
}
# On a challenge under evaluation (it has criteria) these are taken only by the panel's decision.
DECIDED_BY_SELECTION = ("accept", "decline")
# Only drafts are edited or get attachments; what was submitted stays as it was sent.
EDITABLE = (S.DRAFT,)
MAX_ATTACHMENTS = 10


def proposal_actions(side: str | None, status: str, *, evaluated: bool = False) -> list[str]:
    """The actions a side may take on a proposal in this status, in the table's order.

    ``evaluated``: the challenge has evaluation criteria, so accepting and declining are left
    to the selection decision and are not offered as plain actions.
    """
    return [
        name
        for name, t in TRANSITIONS.items()
        if t.side == side
        and status in t.sources
        and not (evaluated and name in DECIDED_BY_SELECTION)
    ]


def proposal_is_editable(status: str) -> bool:
    """Whether a proposal in this status may still be edited by its proposer."""
    return status in EDITABLE


def challenge_accepts_proposals(challenge: Challenge, *, today: date | None = None) -> bool:
    """Published, open and not past its deadline."""
    if not challenge.is_published or challenge.status != Challenge.Status.OPEN:
        return False
    today = today or timezone.localdate()
    if call_intake_refusal(challenge.call, today=today):
        return False
    return challenge.deadline is None or challenge.deadline >= today
