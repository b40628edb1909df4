"""The cms app's models: Wagtail pages and what hangs off them.

- pages: the home page, standard pages, news;
- events: events and registrations;
- challenges: challenge lists and challenge pages with their attachments.
"""

from cms.models.challenges import ChallengeAttachment, ChallengeIndexPage, ChallengePage
from cms.models.events import EventIndexPage, EventPage, EventRegistration
from cms.models.pages import HomePage, NewsIndexPage, NewsPage, StandardPage

__all__ = [
    "ChallengeAttachment",
    "ChallengeIndexPage",
    "ChallengePage",
    "EventIndexPage",
    "EventPage",
    "EventRegistration",
    "HomePage",
    "NewsIndexPage",
    "NewsPage",
    "StandardPage",
]
