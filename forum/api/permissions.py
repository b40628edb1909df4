"""Who may call which part of the API."""

from rest_framework.permissions import BasePermission

from forum.models import PersonalAPIToken


class HasPersonalToken(BasePermission):
    """The request carries a valid personal token (member endpoints).

    A signed-in session never counts: the member endpoints are for programs, and staff
    powers, which need a second factor on the web, are never reachable through them.
    """

    def has_permission(self, request, view) -> bool:
        return bool(
            request.user
            and request.user.is_authenticated
            and isinstance(request.auth, PersonalAPIToken)
        )
