"""The project selectors, one module per kind of read.

- ``access``: the user's roles on a project and the projects the user may see;
- ``lists``: the public list and its open-data record, the member's lists, with progress;
- ``detail``: the project page (``ProjectView``), read once;
- ``audience``: who hears of what happens to a project, and how much of it.

Following is forum.selectors.follows; progress and staleness are forum.rules.project_progress.
Callers import from the module; the names below are the same functions, listed once so that
``forum.selectors.projects.<name>`` keeps working.
"""

from forum.selectors.projects.access import (
    project_for_participant,
    project_roles,
    projects_of_user,
    projects_visible_to,
)
from forum.selectors.projects.audience import project_audience, project_audience_split
from forum.selectors.projects.detail import ProjectView, TimelineEntry, project_view
from forum.selectors.projects.lists import (
    PROJECT_SORTS,
    project_list_for_member,
    project_list_public,
    project_public_record,
    projects_followed_by,
    projects_joinable_for_accept,
    projects_public_last_updated,
)

__all__ = [
    "PROJECT_SORTS",
    "ProjectView",
    "TimelineEntry",
    "project_audience",
    "project_audience_split",
    "project_for_participant",
    "project_list_for_member",
    "project_list_public",
    "project_public_record",
    "project_roles",
    "project_view",
    "projects_followed_by",
    "projects_joinable_for_accept",
    "projects_of_user",
    "projects_public_last_updated",
    "projects_visible_to",
]
