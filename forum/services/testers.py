"""Tester calls (モニター募集): a project's participants open one, residents apply and
withdraw, participants select and message them; applications are deleted when no longer
needed (forum.rules.residents.tester_data_expired)."""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Project, TesterApplication, TesterCall
from forum.rules.project_progress import project_progress_refusal
from forum.rules.residents import tester_data_expired
from forum.selectors.projects.access import project_roles
from forum.selectors.residents import user_is_verified_resident
from forum.selectors.testers import user_can_manage_tester_call
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.needs import checked_text
from forum.services.notifications import notification_send


def _may_manage(actor, call: TesterCall) -> None:
    if not user_can_manage_tester_call(actor, call):
        raise PermissionDenied(_("モニター募集を扱えるのは、プロジェクトの参加団体です。"))


@transaction.atomic
def tester_call_open(
    *,
    actor,
    project: Project,
    title: str,
    description: str,
    place: str,
    starts_on: date,
    ends_on: date,
    places: int,
    conditions: str = "",
) -> TesterCall:
    """A project's participants open a call for resident testers."""
    if not project_roles(actor, project):
        raise PermissionDenied(_("モニター募集を扱えるのは、プロジェクトの参加団体です。"))
    if refusal := project_progress_refusal(project.stage):
        raise ServiceError(refusal)
    if ends_on < starts_on:
        raise ServiceError(_("期間の終了日は開始日より後にしてください。"))
    if ends_on < timezone.localdate():
        raise ServiceError(_("終わった期間のモニターは募集できません。"))
    if not 1 <= places <= 1000:
        raise ServiceError(_("募集人数は1人から1,000人までにしてください。"))
    call = TesterCall.objects.create(
        project=project,
        title=checked_text(title, label=_("募集の名前"), limit=100),
        description=checked_text(description, label=_("試していただくこと"), limit=2000),
        place=checked_text(place, label=_("場所"), limit=200),
        starts_on=starts_on,
        ends_on=ends_on,
        places=places,
        conditions=checked_text(conditions, label=_("応募の条件"), limit=1000, required=False),
        created_by=actor,
    )
    audit_record(actor=actor, verb="tester_call.opened", target=call, project=project.pk)
    return call


@transaction.atomic
def tester_call_close(*, actor, call: TesterCall) -> TesterCall:
    """Stop taking applications."""
    _may_manage(actor, call)
    call.status = TesterCall.Status.CLOSED
    call.save(update_fields=["status"])
    audit_record(actor=actor, verb="tester_call.closed", target=call)
    return call


@transaction.atomic
def tester_apply(*, actor, call: TesterCall, note: str = "") -> TesterApplication:
    """A verified resident applies to an open call, once."""
    if not user_is_verified_resident(actor):
        raise PermissionDenied(_("応募できるのは、メールアドレスを確認済みの住民の方です。"))
    if call.status != TesterCall.Status.OPEN or call.data_purged_at:
        raise ServiceError(_("このモニター募集は締め切りました。"))
    if call.applications.filter(user=actor).exists():
        raise ServiceError(_("すでに応募しています。"))
    application = TesterApplication.objects.create(
        call=call,
        user=actor,
        note=checked_text(note, label=_("ひとこと"), limit=500, required=False),
    )
    audit_record(actor=actor, verb="tester.applied", target=call)
    return application


@transaction.atomic
def tester_withdraw(*, actor, call: TesterCall) -> bool:
    """The resident withdraws: their application and what it said are deleted."""
    deleted, _rows = call.applications.filter(user=actor).delete()
    if deleted:
        # The audit keeps that someone withdrew, not who: the application was personal data.
        audit_record(actor=None, verb="tester.withdrawn", target=call)
    return bool(deleted)


@transaction.atomic
def tester_select(*, actor, application: TesterApplication) -> TesterApplication:
    """Select an applicant as a tester; they are told."""
    call = application.call
    _may_manage(actor, call)
    selected = call.applications.filter(status=TesterApplication.Status.SELECTED).count()
    if application.status != TesterApplication.Status.SELECTED and selected >= call.places:
        raise ServiceError(_("募集人数に達しています。"))
    application.status = TesterApplication.Status.SELECTED
    application.save(update_fields=["status"])
    audit_record(actor=actor, verb="tester.selected", target=call, application=application.pk)
    notification_send(
        recipients=[application.user],
        verb="tester.selected",
        title=lambda: _("モニターに選ばれました: %(title)s") % {"title": call.title},
        body=lambda: _("プロジェクトの担当者から連絡があります。"),
        url=reverse("residents:tester_call", args=[call.pk]),
    )
    return application


@transaction.atomic
def tester_message_send(*, actor, call: TesterCall, body: str, selected_only: bool = True) -> int:
    """Message the call's selected testers (or every applicant) as a notice; returns how many."""
    _may_manage(actor, call)
    text = checked_text(body, label=_("メッセージ"), limit=2000)
    applications = call.applications.select_related("user")
    if selected_only:
        applications = applications.filter(status=TesterApplication.Status.SELECTED)
    recipients = [application.user for application in applications]
    if not recipients:
        raise ServiceError(_("メッセージを送る相手がいません。"))
    notification_send(
        recipients=recipients,
        verb="tester.message",
        title=lambda: _("モニター募集「%(title)s」からのお知らせ") % {"title": call.title},
        body=text,
        url=reverse("residents:tester_call", args=[call.pk]),
    )
    audit_record(actor=actor, verb="tester.messaged", target=call, recipients=len(recipients))
    return len(recipients)


@transaction.atomic
def tester_data_purge(*, today: date | None = None) -> int:
    """Delete the applications of calls whose test is over; returns how many were deleted."""
    today = today or timezone.localdate()
    deleted = 0
    calls = TesterCall.objects.filter(data_purged_at__isnull=True).select_related("project")
    for call in calls:
        if not tester_data_expired(
            ends_on=call.ends_on, project_stage=call.project.stage, today=today
        ):
            continue
        count, _rows = call.applications.all().delete()
        call.status = TesterCall.Status.CLOSED
        call.data_purged_at = timezone.now()
        call.save(update_fields=["status", "data_purged_at"])
        audit_record(actor=None, verb="tester_call.data_purged", target=call, deleted=count)
        deleted += count
    return deleted
