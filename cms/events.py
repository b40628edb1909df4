"""Event registration: places, the waiting list, cancellation, and the calendar file.

EventPage's routes call these, so this module sits below cms.models and never imports it:
it reaches the page's class through the instance it is given and the registrations through
the page's ``registrations`` relation.
"""

from datetime import UTC

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.choices import RegistrationStatus
from forum.services.errors import ServiceError
from forum.services.notifications import notification_send


def event_seats_taken(event) -> int:
    """How many people hold a place at the event."""
    return event.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def event_registration_context(event, user) -> dict:
    """The signed-in person's registration and the event's remaining places."""
    registration = None
    if user.is_authenticated:
        registration = (
            event.registrations.filter(user=user)
            .exclude(status=RegistrationStatus.CANCELLED)
            .first()
        )
    taken = event_seats_taken(event)
    return {
        "registration": registration,
        "seats_taken": taken,
        "seats_left": None if event.capacity is None else max(event.capacity - taken, 0),
        "event_is_over": event.end_at < timezone.now(),
    }


def _locked(event):
    """The event's row, locked for the rest of the transaction."""
    return type(event).objects.select_for_update().get(pk=event.pk)


@transaction.atomic
def event_register(*, user, event):
    """Register a signed-in member; beyond capacity they join the waiting list."""
    if not user.is_authenticated:
        raise ServiceError(_("参加申込にはログインが必要です。"))
    if not event.registration_open:
        raise ServiceError(_("このイベントは参加申込を受け付けていません。"))
    if event.end_at < timezone.now():
        raise ServiceError(_("このイベントは終了しました。"))
    locked = _locked(event)
    registration = locked.registrations.filter(user=user).first()
    if registration and registration.status != RegistrationStatus.CANCELLED:
        return registration
    full = locked.capacity is not None and event_seats_taken(locked) >= locked.capacity
    status = RegistrationStatus.WAITLISTED if full else RegistrationStatus.REGISTERED
    if registration:
        registration.status = status
        registration.save(update_fields=["status", "updated_at"])
    else:
        registration = locked.registrations.create(user=user, status=status)
    return registration


@transaction.atomic
def event_cancel(*, user, event):
    """Cancel a registration; the first person waiting takes the freed place."""
    locked = _locked(event)
    registration = (
        locked.registrations.filter(user=user).exclude(status=RegistrationStatus.CANCELLED).first()
    )
    if registration is None:
        return None
    was_registered = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    if was_registered:
        _promote_first_waiting(locked)
    return registration


def _promote_first_waiting(event) -> None:
    waiting = (
        event.registrations.filter(status=RegistrationStatus.WAITLISTED)
        .order_by("created_at")
        .first()
    )
    if waiting is None:
        return
    waiting.status = RegistrationStatus.REGISTERED
    waiting.save(update_fields=["status", "updated_at"])
    notification_send(
        recipients=[waiting.user],
        verb="event.promoted",
        title=lambda: _("「%(title)s」の参加が確定しました") % {"title": event.title},
        body=lambda: _("キャンセル待ちから参加登録に繰り上がりました。"),
        url=event.url or "",
    )


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def event_ics(event, *, host: str, url: str) -> str:
    """The event as an iCalendar (.ics) document; `url` is the page's absolute address."""
    fmt = "%Y%m%dT%H%M%SZ"
    start = event.start_at.astimezone(UTC)
    end = event.end_at.astimezone(UTC)
    location = event.venue or event.online_url
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Osaka Smart City Partners Forum//Events//JA",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{host}",
        f"DTSTAMP:{timezone.now().astimezone(UTC).strftime(fmt)}",
        f"DTSTART:{start.strftime(fmt)}",
        f"DTEND:{end.strftime(fmt)}",
        f"SUMMARY:{_ics_text(event.title)}",
        f"DESCRIPTION:{_ics_text(event.intro)}",
        f"LOCATION:{_ics_text(location)}",
        f"URL:{url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"
