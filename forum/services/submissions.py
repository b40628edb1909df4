"""Retries that write nothing twice: API idempotency keys and web forms' one-time tokens.

A request first *claims* its key or token (a row committed at once, so a parallel retry sees
it), does its work, then stores what it answered. A retry finds the row: with the first
answer stored it gets that answer back; while the first request still runs it is refused.
Rows live for a day (``submissions_purge``, run by beat).
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import FormSubmission, IdempotencyKey
from forum.services.errors import ServiceError

KEPT_FOR = timedelta(hours=24)
# A request still unanswered after this long has died; its key may be taken again. The API
# stores its answer in the transaction of its write, so a dead request wrote nothing.
ABANDONED_AFTER = timedelta(minutes=5)


class KeyReused(ServiceError):
    """The key was first used for another request (another body, method or path)."""


class StillRunning(ServiceError):
    """The first request with this key or token has not answered yet."""


def _claim_row(model, *, lookup: dict, defaults: dict):
    """Insert the row, or return the one already there: (row, inserted)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            return model.objects.create(**lookup, **defaults, created_at=now), True
    except IntegrityError:
        pass
    row = model.objects.get(**lookup)
    if row.created_at <= now - KEPT_FOR:  # a day old: as good as gone
        model.objects.filter(pk=row.pk, created_at=row.created_at).delete()
        return _claim_row(model, lookup=lookup, defaults=defaults)
    return row, False


def _take_over_if_abandoned(model, row) -> bool:
    """Take over a row whose request died unanswered; False while it may still be running."""
    now = timezone.now()
    if row.created_at > now - ABANDONED_AFTER:
        return False
    unanswered = {"status_code__isnull": True} if model is IdempotencyKey else {"redirect_to": ""}
    taken = model.objects.filter(pk=row.pk, created_at=row.created_at, **unanswered)
    return bool(taken.update(created_at=now))


def idempotency_key_claim(
    *, user, key: str, method: str, path: str, request_hash: str
) -> tuple[IdempotencyKey, bool]:
    """Claim ``key`` for this API request, or find its first use.

    Returns ``(row, True)`` when this request should run, ``(row, False)`` when ``row`` holds
    the first response to send back. Raises KeyReused or StillRunning.
    """
    request = {"method": method, "path": path[:2000], "request_hash": request_hash}
    row, claimed = _claim_row(IdempotencyKey, lookup={"user": user, "key": key}, defaults=request)
    if claimed:
        return row, True
    if (row.method, row.path, row.request_hash) != tuple(request.values()):
        raise KeyReused(
            _(
                "この Idempotency-Key は別の内容のリクエストに使われています。"
                "新しいリクエストには新しいキーを使ってください。"
            ),
            code="idempotency_key_reused",
        )
    if row.status_code is None:
        if _take_over_if_abandoned(IdempotencyKey, row):
            return row, True
        raise StillRunning(
            _(
                "同じ Idempotency-Key のリクエストを処理しています。"
                "少し待ってから同じ内容で送り直してください。"
            ),
            code="idempotency_key_in_progress",
        )
    return row, False


def idempotency_key_answer(
    *, row: IdempotencyKey, status_code: int, body: str, headers: dict[str, str]
) -> None:
    """Store the response of the request that claimed ``row`` (in its write's transaction)."""
    IdempotencyKey.objects.filter(pk=row.pk).update(
        status_code=status_code,
        response_body=body,
        response_headers=headers,
        completed_at=timezone.now(),
    )


def idempotency_key_release(*, row: IdempotencyKey) -> None:
    """Free a key whose request failed on the server side, so that a retry runs again."""
    IdempotencyKey.objects.filter(pk=row.pk, status_code__isnull=True).delete()


def form_submission_claim(*, user, token: str, path: str) -> tuple[FormSubmission, bool]:
    """Claim a rendered form's token for this POST, or find the POST that used it first.

    Returns ``(row, True)`` when this POST should run, ``(row, False)`` when ``row`` says
    where the first one led. Raises StillRunning while the first POST has no answer yet.
    """
    row, claimed = _claim_row(
        FormSubmission, lookup={"user": user, "token": token}, defaults={"path": path[:2000]}
    )
    if claimed:
        return row, True
    if not row.redirect_to:
        if _take_over_if_abandoned(FormSubmission, row):
            return row, True
        raise StillRunning(
            _("このフォームは送信済みで、処理しています。少し待ってから画面を確認してください。"),
            code="form_in_progress",
        )
    return row, False


def form_submission_answer(*, row: FormSubmission, redirect_to: str) -> None:
    """Note where the POST that claimed ``row`` led, for a second POST of the same form."""
    FormSubmission.objects.filter(pk=row.pk).update(redirect_to=redirect_to[:2000])


def form_submission_release(*, row: FormSubmission) -> None:
    """Free a token whose POST changed nothing (the form came back with errors)."""
    FormSubmission.objects.filter(pk=row.pk, redirect_to="").delete()


def submissions_purge() -> int:
    """Forget keys and tokens older than a day; returns how many rows went."""
    cutoff = timezone.now() - KEPT_FOR
    keys, _counts = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    forms, _counts = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return keys + forms
