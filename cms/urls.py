from django.urls import path

from cms.feeds import ChallengeAtomFeed, ChallengeFeed

app_name = "cms"

urlpatterns = [
    path("rss/", ChallengeFeed(), name="challenge_feed_rss"),
    path("atom/", ChallengeAtomFeed(), name="challenge_feed_atom"),
    path("<slug:field_slug>/rss/", ChallengeFeed(), name="challenge_field_feed_rss"),
    path("<slug:field_slug>/atom/", ChallengeAtomFeed(), name="challenge_field_feed_atom"),
]
