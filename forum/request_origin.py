"""The address people reach the site at, for the links in emails.

A link in an email should lead back to where the person who caused it was working: the
request's own scheme, host and port (a development server on another port, a staging host).
Without a request (the scheduler, a sweep), the configured ``SITE_URL`` is used.
The origin of the request being served is kept in a context variable by
``forum.middleware.RequestOriginMiddleware``; rows whose email is sent later record it.
"""

from contextvars import ContextVar

from django.conf import settings

_current_origin: ContextVar[str] = ContextVar("request_origin", default="")


def origin_of(request) -> str:
    """``scheme://host[:port]`` of a request (its host already checked against ALLOWED_HOSTS)."""
    return f"{request.scheme}://{request.get_host()}"


def origin_set(origin: str):
    """Remember the origin of the request being served; returns the token to reset it."""
    return _current_origin.set(origin)


def origin_reset(token) -> None:
    """Forget the origin when the request ends."""
    _current_origin.reset(token)


def origin_current() -> str:
    """The origin of the request being served, or "" outside a request."""
    return _current_origin.get()


def email_base_url(recorded: str = "") -> str:
    """The base of an email's links: the origin recorded with the row, the current request's,
    else the configured SITE_URL; never with a trailing slash."""
    return (recorded or origin_current() or settings.SITE_URL).rstrip("/")
