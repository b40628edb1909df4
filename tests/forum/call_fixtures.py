"""Calls for the tests: a forum-wide call around today, and helpers to move its dates."""

from datetime import timedelta

from django.utils import timezone

from forum.models import Call, Organisation
from forum.services.calls import call_create


def days(n: int):
    return timezone.localdate() + timedelta(days=n)


def secretariat_org() -> Organisation:
    return Organisation.objects.filter(kind="secretariat").first()


def forum_call(actor, *, slug="r8-1", opens=-10, closes=10, questions=5, **extra) -> Call:
    """A forum-wide call whose intake runs from `opens` to `closes` days from today."""
    return call_create(
        actor=actor,
        organisation=secretariat_org(),
        slug=slug,
        title_ja="令和8年度 第1回 地域課題募集",
        title_en="FY2026 Call 1",
        intake_opens_on=days(opens),
        intake_closes_on=days(closes),
        question_deadline=days(questions),
        selection_date=extra.pop("selection_date", days(closes + 20)),
        **extra,
    )


def move(call: Call, **offsets) -> Call:
    """Set the call's dates relative to today, straight in the database (a test's clock)."""
    Call.objects.filter(pk=call.pk).update(**{name: days(n) for name, n in offsets.items()})
    call.refresh_from_db()
    return call
