"""A call's schedule: its steps in order, where we are now, and which deadlines refuse what.

Pure: reads a call's dates and today's date, never the database.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum.models import Call, CallReminder

# Reminders go out this many days before a deadline (and up to the deadline itself).
REMINDER_DAYS = 3

# The steps of a call's timeline: (label, first day attribute, last day attribute).
STEPS = (
    (gettext_lazy("提案受付"), "intake_opens_on", "intake_closes_on"),
    (gettext_lazy("質問締切"), "question_deadline", "question_deadline"),
    (gettext_lazy("質問への回答"), "answer_date", "answer_date"),
    (gettext_lazy("選定"), "selection_date", "selection_date"),
    (gettext_lazy("実証期間"), "poc_starts_on", "poc_ends_on"),
    (gettext_lazy("中間報告会"), "midterm_report_on", "midterm_report_on"),
    (gettext_lazy("最終報告会"), "final_report_on", "final_report_on"),
)


@dataclass(frozen=True)
class TimelineStep:
    """One step of a call's schedule and whether it is past, current or still to come."""

    label: str
    starts_on: date
    ends_on: date
    state: str  # "past", "current" or "future"

    @property
    def is_range(self) -> bool:
        return self.starts_on != self.ends_on


def _state(starts_on: date, ends_on: date, today: date) -> str:
    if ends_on < today:
        return "past"
    if starts_on <= today:
        return "current"
    return "future"


def call_timeline(call: Call, *, today: date) -> list[TimelineStep]:
    """The call's dated steps in date order. Exactly one step is current when today falls in
    one; otherwise the first future step is marked next (its state stays "future")."""
    steps = []
    for label, first, last in STEPS:
        starts_on = getattr(call, first)
        ends_on = getattr(call, last) or starts_on
        if starts_on is None:
            continue
        steps.append(
            TimelineStep(str(label), starts_on, ends_on, _state(starts_on, ends_on, today))
        )
    return sorted(steps, key=lambda s: (s.starts_on, s.ends_on))


def call_phase(call: Call, *, today: date) -> str:
    """Where the call stands: before intake, intake, selection (intake over), done."""
    if today < call.intake_opens_on:
        return "upcoming"
    if today <= call.intake_closes_on:
        return "intake"
    last = call.final_report_on or call.poc_ends_on or call.selection_date
    if last is not None and last < today:
        return "finished"
    return "after_intake"


PHASE_LABELS = {
    "upcoming": gettext_lazy("受付開始前"),
    "intake": gettext_lazy("提案受付中"),
    "after_intake": gettext_lazy("受付終了・選定中"),
    "finished": gettext_lazy("終了"),
}


def call_intake_refusal(call: Call | None, *, today: date) -> str:
    """Why a proposal may not be submitted to a challenge of this call today ("" if it may)."""
    if call is None:
        return ""
    if today < call.intake_opens_on:
        return _("この課題は「%(call)s」の募集です。提案の受付は%(date)sからです。") % {
            "call": call.title,
            "date": date_format(call.intake_opens_on),
        }
    if today > call.intake_closes_on:
        return _("「%(call)s」の提案受付は%(date)sに締め切りました。提案できません。") % {
            "call": call.title,
            "date": date_format(call.intake_closes_on),
        }
    return ""


def call_question_refusal(call: Call | None, *, today: date) -> str:
    """Why a question may not be asked about a challenge of this call today ("" if it may)."""
    if call is None:
        return ""
    if today > call.question_deadline:
        return _("「%(call)s」の質問受付は%(date)sに締め切りました。質問できません。") % {
            "call": call.title,
            "date": date_format(call.question_deadline),
        }
    return ""


def call_reminders_due(call: Call, *, today: date) -> list[str]:
    """The deadlines of the call that people should be reminded of today (CallReminder kinds)."""
    due = []
    window = timedelta(days=REMINDER_DAYS)
    if today <= call.question_deadline <= today + window:
        due.append(CallReminder.Kind.QUESTION_DEADLINE)
    if call.intake_opens_on <= today <= call.intake_closes_on <= today + window:
        due.append(CallReminder.Kind.INTAKE_CLOSE)
    return due
