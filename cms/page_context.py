"""Context of page templates, gathered through forum selectors; page models' get_context calls these.

This module sits below cms.models and never imports it: a page hands over what it has (itself,
or the querysets of its sibling page types).
"""

from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from forum.models import Challenge, Proposal
from forum.rules.calls import call_question_refusal
from forum.selectors.challenges import (
    ChallengeFilters,
    challenge_facet_controls,
    challenge_facets,
    challenge_list_open,
    challenge_list_search,
    challenge_related,
)
from forum.selectors.evaluation import criterion_list_for_challenge, selection_public_result
from forum.selectors.follows import user_can_follow, user_is_following
from forum.selectors.needs import need_get_for_challenge_page
from forum.selectors.proposals import (
    municipality_ids_reviewed_by,
    proposal_list_of_member_organisations,
)
from forum.selectors.questions import (
    question_list_of_asker,
    question_list_public,
    user_can_answer,
)
from forum.selectors.roles import organisation_list_acting_for_user, user_is_secretariat
from forum.selectors.solutions import challenge_key_figures
from forum.selectors.supports import support_state
from forum.selectors.tags import challenge_tag_context


def home_page_context(*, news: QuerySet, events: QuerySet) -> dict:
    """Featured open challenges, latest news, upcoming events and key figures.

    `news` and `events` are the live news and event pages.
    """
    return {
        "featured_challenges": list(challenge_list_open().order_by("-published_at")[:6]),
        "latest_news": list(news.order_by("-date", "-pk")[:3]),
        "upcoming_events": list(events.filter(end_at__gte=timezone.now()).order_by("start_at")[:3]),
        "key_figures": challenge_key_figures(),
    }


# The list's filter selects, for the count of those in use the folded filter panel shows.
FILTER_SELECTS = (
    "field",
    "municipality",
    "department",
    "technology",
    "status",
    "stage",
    "call",
    "sdg",
    "theme",
    "dataset",
)


def challenge_list_context(query, *, municipality=None) -> dict:
    """The filtered, sorted, paginated list with facet counts and shareable query strings."""
    filters = ChallengeFilters.from_query(query)
    if municipality is not None:
        filters.municipality = municipality.code
    page = challenge_list_search(filters, page=query.get("page"))
    chosen = [name for name in FILTER_SELECTS if getattr(filters, name)]
    return {
        # A municipality's own list has no municipality select: its municipality is no choice.
        "active_filter_count": len(chosen) - (municipality is not None),
        "filters": filters,
        "page_obj": page,
        "facets": challenge_facets(filters),
        "facet_controls": challenge_facet_controls(
            filters, municipality=municipality.code if municipality is not None else ""
        ),
        "querystring": urlencode(filters.as_query()),
        "fixed_municipality": municipality,
    }


def _member_context(record, user) -> dict:
    """The signed-in person's organisation's live proposal to the challenge, and whether they
    review its proposals."""
    if record is None or user is None or not user.is_authenticated:
        return {"own_proposal": None, "can_review": False}
    return {
        "own_proposal": proposal_list_of_member_organisations(user)
        .filter(challenge=record, status__in=Proposal.LIVE_STATUSES)
        .first(),
        "can_review": record.municipality_id in municipality_ids_reviewed_by(user)
        or user_is_secretariat(user),
    }


def _follow_context(record, user) -> dict:
    """Whether the person follows the challenge, and whether they may."""
    following = user_is_following(user, challenge=record) if user else False
    return {
        "is_following": following,
        "can_follow": following or (user is not None and user_can_follow(user)),
    }


def challenge_detail_context(page, user=None) -> dict:
    """The published record of the challenge, its related challenges and attachments,
    its public projects, whether the signed-in person follows it, their organisation's live
    proposal to it and whether they review its proposals."""
    record = (
        Challenge.objects.filter(page_id=page.pk, is_published=True)
        .select_related("municipality", "call")
        .first()
    )
    return {
        **_member_context(record, user),
        "record": record,
        # Closed on the record too once the selection is decided (the page itself says open).
        "record_closed": record is not None and record.status == Challenge.Status.CLOSED,
        "related_challenges": challenge_related(record) if record else [],
        "attachments": list(page.attachments.select_related("document")),
        "public_projects": list(record.projects.filter(is_public=True)) if record else [],
        "criteria": list(criterion_list_for_challenge(record)) if record else [],
        "selection_result": selection_public_result(record) if record else None,
        **_follow_context(record, user),
        **_question_context(record, user),
        **(support_state(user or AnonymousUser(), challenge=record) if record else {}),
        "source_need": _source_need(page),
        **challenge_tag_context(record),
    }


def _question_context(record, user) -> dict:
    """The published answers (never who asked), the person's own questions, whether they may
    ask now (or why not) and whether they answer this challenge's questions."""
    if record is None:
        return {"public_questions": [], "own_questions": [], "can_ask": False}
    signed_in = user is not None and user.is_authenticated
    refusal = call_question_refusal(record.call, today=timezone.localdate())
    return {
        "call": record.call,
        "public_questions": list(question_list_public(record)),
        "own_questions": list(question_list_of_asker(user, record)) if signed_in else [],
        "question_refusal": refusal,
        "can_ask": signed_in and not refusal and organisation_list_acting_for_user(user).exists(),
        "can_answer": signed_in and user_can_answer(user, record),
    }


def _source_need(page):
    """The published resident's need the challenge was made from, if any."""
    need = need_get_for_challenge_page(page.pk)
    return need if need is not None and need.is_published else None
