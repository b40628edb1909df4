"""``Idempotency-Key``: an API write retried with the same key happens once.

A client that did not get an answer (a timeout, a dropped connection) sends the same request
again with the same key, and gets the first answer back instead of a second object. Keys are
the token owner's own, kept for 24 hours, and stored in the database (so a cache outage
forgets none). The rules, for POST, PUT, PATCH and DELETE:

- same key, same method, path and body: the first response (status, body, Content-Type,
  Location, Content-Language), marked ``Idempotent-Replayed: true``, and nothing is written;
- same key with another body, method or path: 422 ``idempotency_key_reused``;
- same key while the first request is still running: 409 ``idempotency_key_in_progress``;
- a first request that ended in a server error keeps nothing: a retry runs afresh.
"""

import hashlib
import json
import re
from contextlib import ExitStack, suppress

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from rest_framework import exceptions

from forum.api.errors import Conflict, Unprocessable
from forum.services.submissions import (
    KeyReused,
    StillRunning,
    idempotency_key_answer,
    idempotency_key_claim,
    idempotency_key_release,
)

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEPT_HEADERS = ("Content-Type", "Content-Language", "Location")
KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"
_KEY = re.compile(KEY_PATTERN)


class _Replay(Exception):
    """Carries a stored response out of ``initial`` past the view's handler."""

    def __init__(self, response: HttpResponse):
        super().__init__("replay")
        self.response = response


def request_hash(request) -> str:
    """What makes two requests the same: method, path with query, and the JSON body's content.

    The body is compared as data (key order and spacing do not count) when it is JSON.
    """
    body = request.body
    with suppress(ValueError, RecursionError):
        body = json.dumps(
            json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.get_full_path().encode(), body):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _stored(row) -> HttpResponse:
    response = HttpResponse(row.response_body.encode(), status=row.status_code)
    for name, value in row.response_headers.items():
        response[name] = value
    response[REPLAYED] = "true"
    return response


class IdempotentWritesMixin:
    """Gives every write of a view the ``Idempotency-Key`` rules above.

    The claim of the key is committed before the write starts, so a parallel retry sees it.
    The handler and the storing of its response then run in one transaction: a request that
    dies midway leaves neither its write nor an answer, and its key may be taken again.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions, parameters
        self._idempotency = None
        key = request.headers.get(HEADER)
        offered = getattr(self, request.method.lower(), None) is not None
        if key is None or request.method not in WRITE_METHODS or not offered:
            return
        if not _KEY.fullmatch(key):
            raise exceptions.ValidationError(
                {HEADER: [_("Idempotency-Key は255文字以内の英数字と記号で送ってください。")]}
            )
        try:
            row, claimed = idempotency_key_claim(
                user=request.user,
                key=key,
                method=request.method,
                path=request.get_full_path(),
                request_hash=request_hash(request),
            )
        except KeyReused as error:
            raise Unprocessable(detail=error.message, code=error.code) from None
        except StillRunning as error:
            raise Conflict(detail=error.message, code=error.code) from None
        if not claimed:
            raise _Replay(_stored(row))
        self._idempotency = (row, ExitStack())
        self._idempotency[1].enter_context(transaction.atomic())

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            return exc.response
        try:
            return super().handle_exception(exc)
        except BaseException:
            self._idempotency_end(None)
            raise

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "_idempotency", None) is not None:
            try:
                if callable(getattr(response, "render", None)):
                    response.render()
            except BaseException:
                self._idempotency_end(None)
                raise
            self._idempotency_end(response)
        return response

    def _idempotency_end(self, response) -> None:
        """Store the answer and commit with the write, or roll back and free the key."""
        if getattr(self, "_idempotency", None) is None:
            return
        (row, stack), self._idempotency = self._idempotency, None
        kept = response is not None and response.status_code < 500
        with stack:
            if kept:
                idempotency_key_answer(
                    row=row,
                    status_code=response.status_code,
                    body=response.content.decode(),
                    headers={name: response[name] for name in KEPT_HEADERS if name in response},
                )
            else:
                transaction.set_rollback(True)
        if kept:
            response[REPLAYED] = "false"
        else:
            idempotency_key_release(row=row)
