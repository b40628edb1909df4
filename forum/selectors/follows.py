"""Who may follow, and what a user follows."""

from django.db.models import Q

from forum.models import Challenge, Follow
from forum.selectors.projects.access import project_list_visible
from forum.selectors.residents import user_is_verified_resident
from forum.selectors.roles import organisation_list_for_user


def user_can_follow(user) -> bool:
    """Following is for members of an approved organisation and for verified residents,
    as follow_add requires."""
    if not user.is_authenticated:
        return False
    return organisation_list_for_user(user).exists() or user_is_verified_resident(user)


def user_is_following(user, *, challenge: Challenge | None = None) -> bool:
    """Whether the user follows the challenge."""
    if not user.is_authenticated or challenge is None:
        return False
    return Follow.objects.filter(user=user, challenge=challenge).exists()


def follow_list_for_user(user):
    """What the user follows that they may still see: published challenges and the projects
    visible to them (a project made private since drops out), newest first."""
    return (
        Follow.objects.filter(user=user)
        .filter(
            Q(challenge__is_published=True) | Q(project__in=project_list_visible(user).values("pk"))
        )
        .select_related("challenge", "project")
        .order_by("-created_at", "-pk")
    )
