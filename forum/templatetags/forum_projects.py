"""Template filters that read the project rules, so pages name roles as the services do."""

from django import template

from forum.rules.project_stages import ROLE_LABELS

register = template.Library()


@register.filter
def project_role_label(role: str) -> str:
    """The label of a role on a project (a participant role or the secretariat); empty if unknown."""
    label = ROLE_LABELS.get(role)
    return str(label) if label is not None else ""
