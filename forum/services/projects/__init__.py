"""The project services, one module per concern.

- ``lifecycle``: opened by accepting a proposal, created by the secretariat, rolled out to
  another municipality, made public with its case study;
- ``stages``: moves along the stages (forum.rules.project_stages), with the outcome when an
  evaluation ends;
- ``participants``: organisations taking part, and the coordinator;
- ``tracking``: milestones, KPIs, progress reports and documents;
- ``common``: the steps they share (locking, permission checks, notices), not services.

Following a project is forum.services.follows. Callers import from the concern's module; the
names below are the same functions, listed once so that ``forum.services.projects.<name>``
keeps working.
"""

from forum.services.projects.lifecycle import (
    project_create,
    project_open_for_proposal,
    project_publication_update,
    project_rollout_start,
)
from forum.services.projects.participants import (
    project_coordinator_assign,
    project_participant_add,
)
from forum.services.projects.stages import project_move_stage
from forum.services.projects.tracking import (
    project_document_add,
    project_kpi_add,
    project_milestone_add,
    project_milestone_remove,
    project_milestone_set_done,
    project_report_submit,
)

__all__ = [
    "project_coordinator_assign",
    "project_create",
    "project_document_add",
    "project_kpi_add",
    "project_milestone_add",
    "project_milestone_remove",
    "project_milestone_set_done",
    "project_move_stage",
    "project_open_for_proposal",
    "project_participant_add",
    "project_publication_update",
    "project_report_submit",
    "project_rollout_start",
]
