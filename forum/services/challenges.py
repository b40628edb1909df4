"""The published snapshot of challenges, written when a challenge page is published or withdrawn."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import (
    Call,
    Challenge,
    Department,
    Field,
    Membership,
    Municipality,
    Organisation,
    Selection,
    Technology,
)
from forum.services.errors import ServiceError
from forum.signals import challenge_changed


@dataclass
class ChallengeSnapshot:
    """Everything the forum keeps of a published challenge; built by the CMS from its page."""

    page_id: int
    url: str
    title: str
    summary: str
    municipality_id: int
    field_id: int
    title_en: str = ""
    summary_en: str = ""
    technology_ids: list[int] = field(default_factory=list)
    background: str = ""
    wanted: str = ""
    data_available: str = ""
    body_text: str = ""
    desired_stage: str = "poc"
    deadline: date | None = None
    budget_min: int | None = None
    budget_max: int | None = None
    contact: str = ""
    is_closed: bool = False
    first_published_at: datetime | None = None
    call_id: int | None = None
    department_id: int | None = None
    responsible_post: str = ""


def challenge_status_for(
    *,
    is_closed: bool,
    deadline: date | None,
    intake_closes_on: date | None = None,
    selection_decided: bool = False,
) -> str:
    """Closed by hand, once the deadline, or the intake of the challenge's call, has passed
    (in Japan's calendar), or once the selection among its proposals has been decided."""
    today = timezone.localdate()
    if is_closed or selection_decided:
        return Challenge.Status.CLOSED
    if any(day is not None and day < today for day in (deadline, intake_closes_on)):
        return Challenge.Status.CLOSED
    return Challenge.Status.OPEN


def _owning_department(snapshot: ChallengeSnapshot) -> Department | None:
    """The page's owning department, which must be one of its municipality's."""
    if snapshot.department_id is None:
        return None
    department = Department.objects.filter(
        pk=snapshot.department_id, organisation__municipality_id=snapshot.municipality_id
    ).first()
    if department is None:
        raise ServiceError(
            _("担当所属は、この課題の市町村（府）の所属・局から選んでください。"),
            code="department_elsewhere",
        )
    return department


def _responsible_user_kept(challenge: Challenge) -> None:
    """A responsible user named in the admin stays only while they belong to the owning
    department's organisation (a person answers for a post of their own organisation)."""
    user_id = challenge.responsible_user_id
    if user_id is None:
        return
    department = challenge.department
    if (
        department is None
        or not Membership.objects.filter(
            organisation_id=department.organisation_id, user_id=user_id
        ).exists()
    ):
        challenge.responsible_user = None
        challenge.save(update_fields=["responsible_user", "updated_at"])


@transaction.atomic
def challenge_publish_snapshot(*, snapshot: ChallengeSnapshot) -> Challenge:
    """Create or refresh the published row of a challenge page and tell the index."""
    municipality = Municipality.objects.get(pk=snapshot.municipality_id)
    organisation = Organisation.objects.filter(municipality=municipality).first()
    call = Call.objects.filter(pk=snapshot.call_id).first() if snapshot.call_id else None
    challenge, _ = Challenge.objects.update_or_create(
        page_id=snapshot.page_id,
        defaults={
            "url": snapshot.url,
            "title": snapshot.title,
            "summary": snapshot.summary,
            "title_en": snapshot.title_en,
            "summary_en": snapshot.summary_en if snapshot.title_en else "",
            "background": snapshot.background,
            "wanted": snapshot.wanted,
            "data_available": snapshot.data_available,
            "body_text": snapshot.body_text,
            "municipality": municipality,
            "organisation": organisation,
            "field": Field.objects.get(pk=snapshot.field_id),
            "desired_stage": snapshot.desired_stage,
            "deadline": snapshot.deadline,
            "budget_min": snapshot.budget_min,
            "budget_max": snapshot.budget_max,
            "contact": snapshot.contact,
            "status": challenge_status_for(
                is_closed=snapshot.is_closed,
                deadline=snapshot.deadline,
                intake_closes_on=call.intake_closes_on if call else None,
                selection_decided=Selection.objects.filter(
                    challenge__page_id=snapshot.page_id, decided_at__isnull=False
                ).exists(),
            ),
            "call": call,
            "department": _owning_department(snapshot),
            "responsible_post": snapshot.responsible_post[:100],
            "is_published": True,
            "published_at": snapshot.first_published_at or timezone.now(),
        },
    )
    challenge.technologies.set(Technology.objects.filter(pk__in=snapshot.technology_ids))
    _responsible_user_kept(challenge)
    challenge_changed.send(sender=Challenge, instance_id=challenge.pk)
    return challenge


@transaction.atomic
def challenge_withdraw(*, page_id: int) -> bool:
    """Take a challenge off the public record when its page is unpublished or deleted."""
    updated = Challenge.objects.filter(page_id=page_id, is_published=True).update(
        is_published=False, updated_at=timezone.now()
    )
    if updated:
        challenge = Challenge.objects.get(page_id=page_id)
        challenge_changed.send(sender=Challenge, instance_id=challenge.pk)
    return bool(updated)


@transaction.atomic
def challenges_close_expired() -> list[int]:
    """Mark open challenges whose deadline, or whose call's intake, has passed, or whose
    selection has been decided, as closed; return their page ids."""
    today = timezone.localdate()
    expired = list(
        Challenge.objects.select_for_update(of=("self",))
        .filter(status=Challenge.Status.OPEN)
        .filter(
            Q(deadline__lt=today)
            | Q(call__intake_closes_on__lt=today)
            | Q(selection__decided_at__isnull=False)
        )
        .values_list("pk", "page_id")
    )
    if expired:
        Challenge.objects.filter(pk__in=[pk for pk, _ in expired]).update(
            status=Challenge.Status.CLOSED, updated_at=timezone.now()
        )
        for pk, _ in expired:
            challenge_changed.send(sender=Challenge, instance_id=pk)
    return [page_id for _, page_id in expired if page_id]
