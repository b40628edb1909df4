from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from cms.models import (
    ChallengeIndexPage,
    ChallengePage,
    EventIndexPage,
    EventPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    StandardPage,
)


class PageCreationRulesTests(WagtailPageTestCase):
    """Where each page type may be created in the tree."""

    def test_home_page_children_are_the_site_sections(self):
        """The home page holds standard pages, news, events and the challenge list."""
        for child in (StandardPage, NewsIndexPage, EventIndexPage, ChallengeIndexPage):
            self.assertCanCreateAt(HomePage, child)
        self.assertCanNotCreateAt(HomePage, ChallengePage)
        self.assertCanNotCreateAt(HomePage, NewsPage)
        self.assertCanNotCreateAt(HomePage, EventPage)

    def test_challenges_live_only_in_challenge_indexes(self):
        """Challenge pages are created under a challenge index and nowhere else."""
        self.assertCanCreateAt(ChallengeIndexPage, ChallengePage)
        self.assertCanCreateAt(ChallengeIndexPage, ChallengeIndexPage)
        for parent in (HomePage, StandardPage, NewsIndexPage, EventIndexPage, ChallengePage):
            self.assertCanNotCreateAt(parent, ChallengePage)

    def test_news_and_events_under_their_indexes(self):
        """News items and events each have their own list page as parent."""
        self.assertCanCreateAt(NewsIndexPage, NewsPage)
        self.assertCanCreateAt(EventIndexPage, EventPage)
        self.assertCanNotCreateAt(NewsIndexPage, EventPage)
        self.assertCanNotCreateAt(EventIndexPage, NewsPage)
        self.assertCanNotCreateAt(ChallengePage, StandardPage)

    def test_home_page_only_under_root(self):
        """The home page is created at the root of the tree only."""
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(StandardPage, HomePage)
        self.assertAllowedSubpageTypes(EventPage, {})
