"""Evaluating a challenge's proposals: criteria, the panel and its invitations, declarations
of conflicts of interest, reviews, the final decision with feedback, and the public result.

Every write locks the challenge's Selection row (`common.locked_selection`), so a decision and
a late score cannot cross.

- common: the forms' inputs, the lock, who may manage, who is seated;
- panel: seats, invitations, assignments;
- scoring: criteria, declarations of conflicts, reviews;
- decision: the decision with feedback, and the published result.
"""

from forum.services.evaluation.common import CriterionInput, DecisionInput
from forum.services.evaluation.decision import selection_decide, selection_publish
from forum.services.evaluation.panel import (
    panel_assignment_set,
    panel_invitation_accept,
    panel_invitation_email_deliver,
    panel_member_add,
    panel_member_invite,
    panel_member_remove,
)
from forum.services.evaluation.scoring import conflict_declare, criteria_set, review_save

__all__ = [
    "CriterionInput",
    "DecisionInput",
    "conflict_declare",
    "criteria_set",
    "panel_assignment_set",
    "panel_invitation_accept",
    "panel_invitation_email_deliver",
    "panel_member_add",
    "panel_member_invite",
    "panel_member_remove",
    "review_save",
    "selection_decide",
    "selection_publish",
]
