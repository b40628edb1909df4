"""Views behind page routes and feeds. Thin: parse, call a service, respond."""

from datetime import UTC

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.services import event_cancel, event_register
from forum.services.errors import ServiceError


def event_register_view(request, event):
    """Register for an event, or cancel with action=cancel."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        messages.info(request, _("参加申込にはログインしてください。"))
        return redirect(f"/accounts/login/?next={event.url}")
    try:
        if request.POST.get("action") == "cancel":
            if event_cancel(user=request.user, event=event):
                messages.success(request, _("参加申込をキャンセルしました。"))
        else:
            registration = event_register(user=request.user, event=event)
            if registration.status == "waitlisted":
                messages.info(
                    request, _("定員に達しているため、キャンセル待ちとして登録しました。")
                )
            else:
                messages.success(request, _("参加申込を受け付けました。"))
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(event.url)


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def event_ics_view(request, event):
    """The event as an iCalendar (.ics) file for calendar apps."""
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
        f"UID:event-{event.pk}@{request.get_host()}",
        f"DTSTAMP:{timezone.now().astimezone(UTC).strftime(fmt)}",
        f"DTSTART:{start.strftime(fmt)}",
        f"DTEND:{end.strftime(fmt)}",
        f"SUMMARY:{_ics_text(event.title)}",
        f"DESCRIPTION:{_ics_text(event.intro)}",
        f"LOCATION:{_ics_text(location)}",
        f"URL:{request.build_absolute_uri(event.url)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    response = HttpResponse(
        "\r\n".join(lines) + "\r\n", content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response
