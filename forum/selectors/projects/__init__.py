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
    project_get_for_participant,
    project_list_of_user,
    project_list_visible,
    project_roles,
)
from forum.selectors.projects.audience import project_audience, project_audience_split
from forum.selectors.projects.detail import ProjectView, TimelineEntry, project_get_view
from forum.selectors.projects.lists import (
    PROJECT_SORTS,
    project_list_followed,
    project_list_for_member,
    project_list_joinable,
    project_list_owned,
    project_list_public,
    project_public_last_updated,
    project_with_public_record,
)

__all__ = [
    "PROJECT_SORTS",
    "ProjectView",
    "TimelineEntry",
    "project_audience",
    "project_audience_split",
    "project_get_for_participant",
    "project_get_view",
    "project_list_followed",
    "project_list_owned",
    "project_list_for_member",
    "project_list_joinable",
    "project_list_of_user",
    "project_list_public",
    "project_list_visible",
    "project_public_last_updated",
    "project_roles",
    "project_with_public_record",
]
