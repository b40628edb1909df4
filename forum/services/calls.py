"""Calls (募集回): the secretariat's forum-wide calls and municipalities' own, and the
reminders of their deadlines."""

from collections.abc import Iterable
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from forum.models import Call, CallReminder, Organisation
from forum.selectors.calls import call_list_manageable, organisation_list_runnable_by
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.notifications import notification_send
from forum.services.text import clean_text

# What a call's form may change, with the schedule's order checked by _check_schedule.
CALL_FIELDS = (
    "slug",
    "title_ja",
    "title_en",
    "description_ja",
    "description_en",
    "intake_opens_on",
    "intake_closes_on",
    "question_deadline",
    "answer_date",
    "selection_date",
    "poc_starts_on",
    "poc_ends_on",
    "midterm_report_on",
    "final_report_on",
    "is_published",
)


def _check_schedule(values: dict) -> None:
    opens, closes = values["intake_opens_on"], values["intake_closes_on"]
    if opens is None or closes is None or values["question_deadline"] is None:
        raise ServiceError(_("受付開始日・受付締切日・質問締切日を入力してください。"))
    if closes < opens:
        raise ServiceError(_("受付締切日は受付開始日以降にしてください。"))
    if values["question_deadline"] > closes:
        raise ServiceError(_("質問締切日は受付締切日以前にしてください。"))
    poc_start, poc_end = values.get("poc_starts_on"), values.get("poc_ends_on")
    if poc_start and poc_end and poc_end < poc_start:
        raise ServiceError(_("実証期間の終了は開始以降にしてください。"))
    selection = values.get("selection_date")
    if selection and selection < closes:
        raise ServiceError(_("選定予定日は受付締切日以降にしてください。"))


def _cleaned(values: dict) -> dict:
    cleaned = {name: values.get(name) for name in CALL_FIELDS}
    cleaned["title_ja"] = clean_text(
        values.get("title_ja"), label=_("名称（日本語）"), limit=200, required=True
    )
    cleaned["title_en"] = clean_text(values.get("title_en"), label=_("名称（英語）"), limit=200)
    cleaned["description_ja"] = clean_text(
        values.get("description_ja"), label=_("説明（日本語）"), limit=5000
    )
    cleaned["description_en"] = clean_text(
        values.get("description_en"), label=_("説明（英語）"), limit=5000
    )
    if not values.get("slug"):
        raise ServiceError(_("スラッグを入力してください。"))
    cleaned["is_published"] = bool(values.get("is_published", True))
    _check_schedule(cleaned)
    return cleaned


def _check_runner(actor, organisation: Organisation) -> None:
    if not organisation_list_runnable_by(actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied(
            _("募集回を実施できるのは、事務局と、自らの市町村の募集回を行う市町村職員です。")
        )


def _audit_values(call: Call) -> dict:
    return {
        name: (value.isoformat() if isinstance(value, date) else value)
        for name in CALL_FIELDS
        if (value := getattr(call, name)) is not None
    }


@transaction.atomic
def call_create(*, actor, organisation: Organisation, **values) -> Call:
    """Open a call in the name of the secretariat (forum-wide) or of a municipality."""
    _check_runner(actor, organisation)
    cleaned = _cleaned(values)
    if Call.objects.filter(slug=cleaned["slug"]).exists():
        raise ServiceError(_("このスラッグはすでに使われています。"))
    call = Call.objects.create(organisation=organisation, created_by=actor, **cleaned)
    audit_record(actor=actor, verb="call.created", target=call, **_audit_values(call))
    return call


@transaction.atomic
def call_update(*, actor, call: Call, organisation: Organisation | None = None, **values) -> Call:
    """Change a call's names, schedule or publication; the change is recorded."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if not call_list_manageable(actor).filter(pk=call.pk).exists():
        raise PermissionDenied(_("この募集回を編集する権限がありません。"))
    if organisation is not None and organisation.pk != call.organisation_id:
        _check_runner(actor, organisation)
        call.organisation = organisation
    current = {name: getattr(call, name) for name in CALL_FIELDS}
    cleaned = _cleaned({**current, **values})
    if Call.objects.filter(slug=cleaned["slug"]).exclude(pk=call.pk).exists():
        raise ServiceError(_("このスラッグはすでに使われています。"))
    before = _audit_values(call)
    for name, value in cleaned.items():
        setattr(call, name, value)
    call.save()
    after = _audit_values(call)
    changed = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    audit_record(actor=actor, verb="call.updated", target=call, changed=changed)
    return call


@transaction.atomic
def call_delete(*, actor, call: Call) -> None:
    """Delete a call without challenges; challenges keep working outside it otherwise."""
    if not call_list_manageable(actor).filter(pk=call.pk).exists():
        raise PermissionDenied(_("この募集回を削除する権限がありません。"))
    if call.challenges.exists():
        raise ServiceError(
            _("課題が属している募集回は削除できません。先に課題の募集回を外してください。")
        )
    audit_record(actor=actor, verb="call.deleted", target=call, slug=call.slug)
    call.delete()


def _reminder_title(call: Call, kind: str):
    def write() -> str:
        if kind == CallReminder.Kind.QUESTION_DEADLINE:
            return _("「%(call)s」の質問締切は%(date)sです") % {
                "call": call.title,
                "date": date_format(call.question_deadline),
            }
        return _("「%(call)s」の提案受付は%(date)sに締め切ります") % {
            "call": call.title,
            "date": date_format(call.intake_closes_on),
        }

    return write


def _reminder_body(call: Call, kind: str):
    def write() -> str:
        if kind == CallReminder.Kind.QUESTION_DEADLINE:
            return _("締切後は質問を受け付けません。課題のページから質問できます。")
        return _("締切後は提案を提出できません。下書きの提案は締切までに提出してください。")

    return write


@transaction.atomic
def call_reminder_send(*, call_id: int, kind: str, recipient_ids: Iterable[int]) -> int:
    """Remind people of one deadline of a call, each once at most, in their language.

    Returns how many were reminded now; those reminded before are left out.
    """
    call = Call.objects.select_for_update().get(pk=call_id)
    already = set(
        CallReminder.objects.filter(call=call, kind=kind).values_list("recipient_id", flat=True)
    )
    wanted = set(recipient_ids) - already
    recipients = list(get_user_model().objects.filter(pk__in=wanted, is_active=True))
    if not recipients:
        return 0
    CallReminder.objects.bulk_create(
        [CallReminder(call=call, kind=kind, recipient=user) for user in recipients],
        ignore_conflicts=True,
    )
    notification_send(
        recipients=recipients,
        verb=f"call.reminder.{kind}",
        title=_reminder_title(call, kind),
        body=_reminder_body(call, kind),
        url=call.get_absolute_url(),
    )
    return len(recipients)
