"""Reads of cms pages that the API and the templates share."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone

from wagtail.models import Page, WorkflowState

from cms.models import ChallengePage, EventPage, StandardPage
from forum.selectors.roles import user_is_secretariat


def events_public(*, upcoming: bool | None = None, updated_since=None):
    """Live events open to everyone (no view restriction), soonest first."""
    qs = EventPage.objects.live().public().order_by("start_at", "pk")
    if upcoming is True:
        qs = qs.filter(end_at__gte=timezone.now())
    elif upcoming is False:
        qs = qs.filter(end_at__lt=timezone.now())
    if updated_since is not None:
        qs = qs.filter(last_published_at__gte=updated_since)
    return qs


def footer_pages(site):
    """The secretariat's plain pages directly under the site's home that are marked
    「メニューに表示」 (about the forum, how to take part, policies), in tree order."""
    if site is None:
        return StandardPage.objects.none()
    return (
        StandardPage.objects.live()
        .public()
        .in_menu()
        .child_of(site.root_page)
        .order_by("path")
        .only("title", "title_en", "url_path", "path", "depth")
    )


def challenge_page_list_in_moderation(user):
    """Challenge pages submitted to the secretariat's review and not yet decided, oldest
    submission first, each with ``submitted_at``; nothing for anyone but the secretariat."""
    if not user_is_secretariat(user):
        return ChallengePage.objects.none()
    # Workflow states point at the base Page's content type, with the id as text.
    submitted = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=Cast(OuterRef("pk"), CharField()),
    )
    return (
        ChallengePage.objects.annotate(
            submitted_at=Subquery(submitted.order_by("created_at").values("created_at")[:1])
        )
        .filter(submitted_at__isnull=False)
        .order_by("submitted_at", "pk")
    )
