"""Building challenge pages and municipality places for the CMS tests."""

from datetime import timedelta

from django.utils import timezone

from wagtail.models import Revision

from cms.models import ChallengeAttachment, ChallengeIndexPage, ChallengePage
from cms.services import municipality_space_ensure
from forum.models import Field, Municipality, Organisation, Technology
from tests.forum.helpers import member_of, with_totp


def municipality_place(code: str) -> tuple[Organisation, ChallengeIndexPage]:
    """An approved municipality organisation with its challenge index."""
    municipality = Municipality.objects.get(code=code)
    organisation = Organisation.objects.filter(
        municipality=municipality
    ).first() or Organisation.objects.create(
        name=municipality.name, kind="municipality", municipality=municipality, status="approved"
    )
    return organisation, municipality_space_ensure(organisation_id=organisation.pk)


def staff_of(code: str):
    """A member of the municipality's organisation with TOTP, in its admin group."""
    organisation, _ = municipality_place(code)
    return with_totp(member_of(organisation))


def challenge_page(
    code: str,
    *,
    title: str,
    field: str = "safety",
    technologies: tuple[str, ...] = (),
    deadline_days: int = 30,
    stage: str = "poc",
    publish: bool = True,
    summary: str = "課題の概要です。",
    attachments: tuple = (),
    body: list | None = None,
) -> ChallengePage:
    """A challenge page under the municipality's index, published unless asked otherwise;
    attachments are Wagtail documents, body the raw stream of its 詳細 field."""
    _, index = municipality_place(code)
    page = ChallengePage(
        title=title,
        field=Field.objects.get(slug=field),
        summary=summary,
        desired_stage=stage,
        deadline=timezone.localdate() + timedelta(days=deadline_days),
        body=body or [],
        # As the admin saves a new page: not live until a revision of it is published.
        live=False,
    )
    page.attachments = [ChallengeAttachment(document=document) for document in attachments]
    index.add_child(instance=page)
    page.technologies.set(Technology.objects.filter(slug__in=technologies))
    revision = page.save_revision()
    if publish:
        revision.publish()
    return ChallengePage.objects.get(pk=page.pk)


def scheduled_challenge(title: str) -> ChallengePage:
    """A challenge approved to go live in an hour, then moved so that its time has come."""
    page = challenge_page("272035", title=title, publish=False)
    ChallengePage.objects.filter(pk=page.pk).update(live=False)
    page.refresh_from_db()
    page.go_live_at = timezone.now() + timedelta(hours=1)
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live  # scheduled, not published yet
    # The clock moves on: the approved revision's time is now a minute ago.
    past = timezone.now() - timedelta(minutes=1)
    for revision in Revision.page_revisions.filter(
        object_id=str(page.pk), approved_go_live_at__isnull=False
    ):
        revision.content["go_live_at"] = past.isoformat()
        revision.approved_go_live_at = past
        revision.save(update_fields=["content", "approved_go_live_at"])
    ChallengePage.objects.filter(pk=page.pk).update(go_live_at=past)
    return page
