"""Context for page templates, gathered through forum selectors."""

from django.utils import timezone

from forum.models import Challenge
from forum.selectors.challenges import (
    ChallengeFilters,
    challenge_facets,
    challenge_key_figures,
    challenge_list_open,
    challenge_related,
    challenge_search,
)


def home_page_context() -> dict:
    """Featured open challenges, latest news, upcoming events and key figures."""
    from cms.models import EventPage, NewsPage

    return {
        "featured_challenges": list(challenge_list_open().order_by("-published_at")[:6]),
        "latest_news": list(NewsPage.objects.live().order_by("-date", "-pk")[:3]),
        "upcoming_events": list(
            EventPage.objects.live().filter(end_at__gte=timezone.now()).order_by("start_at")[:3]
        ),
        "key_figures": challenge_key_figures(),
    }


def challenge_list_context(query, *, municipality=None) -> dict:
    """The filtered, sorted, paginated list with facet counts and shareable query strings."""
    filters = ChallengeFilters.from_query(query)
    if municipality is not None:
        filters.municipality = municipality.code
    page = challenge_search(filters, page=query.get("page"))
    return {
        "filters": filters,
        "page_obj": page,
        "facets": challenge_facets(filters),
        "querystring": _encode(filters.as_query()),
        "fixed_municipality": municipality,
    }


def challenge_detail_context(page, user=None) -> dict:
    """The published record of the challenge, its related challenges and attachments,
    its public projects, whether the signed-in person follows it, their organisation's live
    proposal to it and whether they review its proposals."""
    from forum.models import Proposal
    from forum.selectors.projects import follow_state, user_may_follow
    from forum.selectors.proposals import (
        proposals_of_member_organisations,
        reviewer_municipality_ids,
    )
    from forum.selectors.roles import user_is_secretariat

    record = (
        Challenge.objects.filter(page_id=page.pk, is_published=True)
        .select_related("municipality")
        .first()
    )
    signed_in = record is not None and user is not None and user.is_authenticated
    return {
        "own_proposal": (
            proposals_of_member_organisations(user)
            .filter(challenge=record, status__in=Proposal.LIVE_STATUSES)
            .first()
            if signed_in
            else None
        ),
        "can_review": signed_in
        and (
            record.municipality_id in reviewer_municipality_ids(user) or user_is_secretariat(user)
        ),
        "record": record,
        "related_challenges": challenge_related(record) if record else [],
        "attachments": list(page.attachments.select_related("document")),
        "public_projects": list(record.projects.filter(is_public=True)) if record else [],
        "is_following": (following := follow_state(user, challenge=record) if user else False),
        "can_follow": following or (user is not None and user_may_follow(user)),
    }


def event_registration_context(event, user) -> dict:
    """The signed-in person's registration and the event's remaining places."""
    from cms.services import event_seats_taken

    registration = None
    if user.is_authenticated:
        registration = event.registrations.filter(user=user).exclude(status="cancelled").first()
    taken = event_seats_taken(event)
    return {
        "registration": registration,
        "seats_taken": taken,
        "seats_left": None if event.capacity is None else max(event.capacity - taken, 0),
        "event_is_over": event.end_at < timezone.now(),
    }


def _encode(params: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


def events_public(*, upcoming: bool | None = None, updated_since=None):
    """Live events open to everyone (no view restriction), soonest first."""
    from cms.models import EventPage

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
    from cms.models import StandardPage

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
