from django.urls import path

from cms.calls import CallChallengeAtomFeed, CallChallengeFeed, call_detail_view, call_list_view

app_name = "calls"

urlpatterns = [
    path("", call_list_view, name="list"),
    path("<slug:slug>/", call_detail_view, name="detail"),
    path("<slug:slug>/rss/", CallChallengeFeed(), name="feed_rss"),
    path("<slug:slug>/atom/", CallChallengeAtomFeed(), name="feed_atom"),
]
