"""The public pages of calls (募集回): the list and one page per call with its timeline,
challenges, briefing events and (after selection) results; and a feed per call."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from cms.feeds import challenge_item_title
from cms.models import EventPage
from forum.language import localized_text
from forum.rules.calls import PHASE_LABELS, call_phase
from forum.selectors.calls import (
    call_get_published,
    call_is_forum_wide,
    call_list_published,
    call_view,
)
from forum.selectors.challenges import challenge_list_published


def call_list_view(request):
    """Every published call, with where each stands today."""
    today = timezone.localdate()
    calls = [
        {
            "call": call,
            "phase": call_phase(call, today=today),
            "phase_label": PHASE_LABELS[call_phase(call, today=today)],
            "forum_wide": call_is_forum_wide(call),
        }
        for call in call_list_published()
    ]
    return render(request, "cms/call_list.html", {"calls": calls})


def call_detail_view(request, slug: str):
    """One call: its timeline with where we are now, challenges, briefings and results."""
    call = call_get_published(slug)
    if call is None:
        raise Http404
    view = call_view(call)
    briefings = EventPage.objects.live().filter(call=call).order_by("start_at")
    return render(
        request,
        "cms/call_detail.html",
        {
            "view": view,
            "call": call,
            "forum_wide": call_is_forum_wide(call),
            "briefings": briefings,
        },
    )


class CallChallengeFeed(Feed):
    """The challenges of one call, newest first."""

    description_template = None

    def get_object(self, request, slug: str):
        call = call_get_published(slug)
        if call is None:
            raise Http404
        return call

    def title(self, obj):
        return _("大阪スマートシティパートナーズフォーラム: %(call)sの地域課題") % {
            "call": obj.title
        }

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return _("募集回「%(call)s」に掲載された地域課題の新着情報です。") % {"call": obj.title}

    def items(self, obj):
        return challenge_list_published().filter(call=obj).order_by("-published_at", "-pk")[:30]

    def item_title(self, item):
        return challenge_item_title(item)

    def item_description(self, item):
        return localized_text(item, "summary")

    def item_link(self, item):
        return item.url or "/challenges/"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class CallChallengeAtomFeed(CallChallengeFeed):
    feed_type = Atom1Feed
    subtitle = CallChallengeFeed.description
