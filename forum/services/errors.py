"""Errors services raise, with messages meant for the person who tried."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["PermissionDenied", "ServiceError", "ValidationError"]


class ServiceError(Exception):
    """A request the service refuses for a reason the user can understand and fix."""

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
