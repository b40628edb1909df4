"""Template context every page needs about the signed-in person."""

from forum.selectors.notifications import notification_count_unread


def membership(request) -> dict:
    """The unread notification count for the header, computed only when used."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cache: dict = {}

    def count() -> int:
        if "n" not in cache:
            cache["n"] = notification_count_unread(user)
        return cache["n"]

    return {"unread_notifications": count}
