"""One JSON shape for every API error, with a message in the visitor's language (Japanese first).

``{"error": {"status": 400, "code": "invalid", "message": "…", "details": {...}}}``
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from forum.services.errors import ServiceError

logger = logging.getLogger(__name__)
# Outages are logged apart so that LOGGING can limit them to a line a minute.
outage_logger = logging.getLogger("forum.outage")


class Conflict(exceptions.APIException):
    """The request is well formed but the current state refuses it (a service's rule)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class ServiceUnavailable(exceptions.APIException):
    """The database cannot be reached: nothing is wrong with the request, come back later."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "service_unavailable"


# Seconds a client is asked to wait when the database is unreachable.
RETRY_AFTER_SECONDS = 30


def unavailable_message() -> str:
    """What a client is told while the database is unreachable."""
    return _("ただいまご利用いただけません。数分後にもう一度お試しください。")


class Unprocessable(exceptions.APIException):
    """The request is well formed but cannot be carried out as sent (a reused idempotency key)."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "unprocessable"


def _messages() -> dict[type, str]:
    return {
        exceptions.ValidationError: _("入力内容を確認してください。"),
        exceptions.ParseError: _("リクエストの本文を読み取れません。JSONで送ってください。"),
        exceptions.NotAuthenticated: _("このAPIにはAPIトークンが必要です。"),
        exceptions.NotFound: _("見つかりません。"),
        exceptions.MethodNotAllowed: _("このメソッドは使えません。"),
        exceptions.NotAcceptable: _(
            "application/json で応答します。Accept ヘッダーを確認してください。"
        ),
        exceptions.UnsupportedMediaType: _("本文は application/json で送ってください。"),
        exceptions.PermissionDenied: _("この操作を行う権限がありません。"),
    }


def _convert(exc: Exception) -> Exception:
    """Turn the forum's and Django's own errors into DRF's, keeping their messages."""
    if isinstance(exc, ServiceError):
        return Conflict(detail=exc.message, code=exc.code)
    if isinstance(exc, DjangoPermissionDenied):
        message = str(exc) or _("この操作を行う権限がありません。")
        return exceptions.PermissionDenied(detail=message)
    if isinstance(exc, Http404):
        return exceptions.NotFound(detail=_("見つかりません。"))
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(detail=exc.messages)
    if isinstance(exc, OperationalError | InterfaceError):
        outage_logger.error("Database unreachable; answering 503: %s", exc, exc_info=exc)
        return ServiceUnavailable(detail=unavailable_message())
    return exc


def error_body(*, status_code: int, code: str, message: str, details=None) -> dict:
    """The error envelope every API error uses."""
    body = {"status": status_code, "code": code, "message": message}
    if details is not None:
        body["details"] = details
    return {"error": body}


def api_exception_handler(exc, context):
    """DRF's handler, reshaped into the envelope; unexpected errors become a logged JSON 500."""
    exc = _convert(exc)
    response = exception_handler(exc, context)
    if response is None:
        logger.exception("unhandled API error", exc_info=exc)
        return Response(
            error_body(
                status_code=500,
                code="server_error",
                message=_("サーバーでエラーが発生しました。時間をおいて再度お試しください。"),
            ),
            status=500,
        )
    if isinstance(exc, ServiceUnavailable):
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        message = _("リクエストが多すぎます。%(wait)s秒後にもう一度お試しください。") % {
            "wait": max(wait, 1)
        }
        response.data = error_body(status_code=429, code="throttled", message=message)
        return response
    if isinstance(exc, exceptions.ValidationError):
        details = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = error_body(
            status_code=response.status_code,
            code="invalid",
            message=_messages()[exceptions.ValidationError],
            details=details,
        )
        return response
    code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    if not isinstance(code, str):
        code = "error"
    detail = getattr(exc, "detail", "")
    message = str(detail) if isinstance(detail, str) and detail else ""
    if not message or _is_drf_default(exc, message):
        message = next(
            (text for kind, text in _messages().items() if isinstance(exc, kind)), message
        )
    response.data = error_body(status_code=response.status_code, code=code, message=message)
    return response


def _is_drf_default(exc, message: str) -> bool:
    """DRF's stock messages are replaced by the forum's wording; specific ones are kept."""
    default = getattr(type(exc), "default_detail", None)
    return default is not None and message == str(default)


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Unknown paths under /api/ answer in JSON, not with the site's HTML 404 page."""
    return JsonResponse(
        error_body(
            status_code=404,
            code="not_found",
            message=_("このURLのAPIはありません。/api/docs/ で一覧を確認してください。"),
        ),
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
