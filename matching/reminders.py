"""Reminders of a call's deadlines (intake close, question deadline), sent a few days before
to the followers of its challenges and to members whose saved interests match one of them.

Each person is reminded of each deadline once (forum.services.calls.call_reminder_send keeps
the record), so the daily task may run as often as it likes.
"""

import logging

from django.utils import timezone

from forum.models import Call, Challenge, Organisation
from forum.rules.calls import call_reminders_due
from forum.selectors.calls import call_audience_followers, call_list_with_reminders_due
from forum.services.calls import call_reminder_send
from matching.backends import get_alert_matcher
from matching.backends.embedded import EmbeddedAlertMatcher
from matching.models import Interest
from search.backends.percolator import PercolatorUnavailable
from search.documents import challenge_document

logger = logging.getLogger(__name__)


def _interest_owner_ids(call: Call) -> set[int]:
    """Owners of active interests that match a published challenge of the call."""
    matcher = get_alert_matcher()
    interest_ids: set[int] = set()
    for challenge_id in Challenge.objects.filter(call=call, is_published=True).values_list(
        "pk", flat=True
    ):
        document = challenge_document(challenge_id)
        if document is None:
            continue
        try:
            interest_ids.update(matcher.matching_interest_ids(document))
        except PercolatorUnavailable as exc:
            logger.warning(
                "Percolator unavailable for call reminders; matching in process: %s", exc
            )
            matcher = EmbeddedAlertMatcher()
            interest_ids.update(matcher.matching_interest_ids(document))
    return set(
        Interest.objects.filter(
            pk__in=interest_ids,
            is_active=True,
            owner__is_active=True,
            owner__memberships__organisation__status=Organisation.Status.APPROVED,
        ).values_list("owner_id", flat=True)
    )


def call_reminders_send(*, today=None) -> int:
    """Remind everyone due a reminder today; returns how many people were reminded now."""
    today = today or timezone.localdate()
    sent = 0
    for call in call_list_with_reminders_due(today=today):
        kinds = call_reminders_due(call, today=today)
        if not kinds:
            continue
        recipients = call_audience_followers(call) | _interest_owner_ids(call)
        for kind in kinds:
            sent += call_reminder_send(call_id=call.pk, kind=kind, recipient_ids=recipients)
    return sent
