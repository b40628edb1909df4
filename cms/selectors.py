"""Reads of cms pages that the API and the templates share."""

from django.utils import timezone

from cms.models import EventPage, StandardPage


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
        .only("title", "url_path", "path", "depth")
    )
