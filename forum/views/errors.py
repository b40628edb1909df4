"""Error answers that need nothing from the database: the 500 page, and 503 while it is down.

A database that cannot be reached is an outage, not a fault of the page: the visitor is told
to come back (503 with Retry-After) on a page rendered without any query, and the API answers
in its JSON envelope. Used by DatabaseOutageMiddleware for errors of views (Wagtail's pages
included) and by the 500 handler for errors raised before a view runs.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from forum.api.errors import RETRY_AFTER_SECONDS, error_body, outage_logger, unavailable_message

DATABASE_ERRORS = (OperationalError, InterfaceError)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _api_error(*, status_code: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(
        error_body(status_code=status_code, code=code, message=message),
        status=status_code,
        json_dumps_params={"ensure_ascii": False},
    )


def database_unavailable(request, error: Exception) -> HttpResponse:
    """503 with Retry-After: JSON under /api/, else the bilingual page (templates/503.html)."""
    outage_logger.error("Database unreachable; answering 503: %s", error, exc_info=error)
    if _is_api(request):
        response = _api_error(
            status_code=503, code="service_unavailable", message=unavailable_message()
        )
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """The 500 handler: a database outage becomes 503, the API keeps its JSON envelope."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return database_unavailable(request, error)
    if _is_api(request):
        return _api_error(
            status_code=500,
            code="server_error",
            message=_("サーバーでエラーが発生しました。時間をおいて再度お試しください。"),
        )
    return defaults.server_error(request)
