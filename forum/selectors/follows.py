"""Who may follow, and what a user follows."""

from forum.models import Challenge, Follow
from forum.selectors.roles import organisations_for_user


def user_may_follow(user) -> bool:
    """Following is for members of an approved organisation, as follow_add requires."""
    return user.is_authenticated and organisations_for_user(user).exists()


def follow_state(user, *, challenge: Challenge | None = None) -> bool:
    """Whether the user follows the challenge."""
    if not user.is_authenticated or challenge is None:
        return False
    return Follow.objects.filter(user=user, challenge=challenge).exists()
