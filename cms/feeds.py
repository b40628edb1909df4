"""RSS and Atom feeds of newly published challenges, overall and per field."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from forum.language import localized_text
from forum.models import Field
from forum.selectors.challenges import challenge_list_published


def challenge_item_title(challenge) -> str:
    """A feed item's title: 【吹田市】… in Japanese, "Suita City: …" in English."""
    return _("【%(municipality)s】%(title)s") % {
        "municipality": challenge.municipality.display_name,
        "title": localized_text(challenge, marked=True),
    }


class ChallengeFeed(Feed):
    """The 30 most recently published challenges."""

    description_template = None

    def get_object(self, request, field_slug: str | None = None):
        return get_object_or_404(Field, slug=field_slug) if field_slug else None

    def title(self, obj):
        if obj is None:
            return _("大阪スマートシティパートナーズフォーラム: 新着の地域課題")
        return _("大阪スマートシティパートナーズフォーラム: 新着の地域課題（%(field)s）") % {
            "field": obj.name
        }

    def link(self, obj):
        return f"/challenges/?field={obj.slug}" if obj else "/challenges/"

    def description(self, obj):
        return _("府内の市町村が掲載した地域課題の新着情報です。")

    def items(self, obj):
        qs = challenge_list_published().order_by("-published_at", "-pk")
        if obj is not None:
            qs = qs.filter(field=obj)
        return qs[:30]

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

    def item_categories(self, item):
        return [item.field.name, *[t.name for t in item.technologies.all()]]


class ChallengeAtomFeed(ChallengeFeed):
    feed_type = Atom1Feed
    subtitle = ChallengeFeed.description
