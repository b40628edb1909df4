"""The events endpoint of the API (/api/v1/events/), built on the forum's open-data base."""

from django.urls import include, path

from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from cms.models import EventPage
from cms.selectors import events_public
from forum.api.fields import TimestampField
from forum.api.filters import QueryParameters
from forum.api.views.base import PublicReadViewSet


class EventSerializer(serializers.ModelSerializer):
    """A published event: when, where, how to take part."""

    url = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(source="first_published_at")
    updated_at = serializers.DateTimeField(source="last_published_at")

    class Meta:
        model = EventPage
        fields = [
            "id",
            "title",
            "intro",
            "start_at",
            "end_at",
            "venue",
            "online_url",
            "capacity",
            "registration_open",
            "url",
            "published_at",
            "updated_at",
        ]

    def get_url(self, obj) -> str:
        return obj.get_full_url(request=self.context.get("request")) or ""


class EventParameters(QueryParameters):
    upcoming = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: 終了していないイベントだけ、false: 終了したイベントだけ",
    )
    updated_since = TimestampField(
        required=False, help_text="この日時以降に公開・更新されたものだけ（ISO 8601）"
    )


class EventViewSet(PublicReadViewSet):
    """Seminars and meet-ups published on the site."""

    serializer_class = EventSerializer
    parameters = {"list": EventParameters}
    docs = {"list": "イベント（セミナー・交流会）の一覧", "retrieve": "イベント"}

    def list_queryset(self):
        return events_public(
            upcoming=self.param("upcoming"), updated_since=self.param("updated_since")
        )

    def detail_queryset(self):
        return events_public()


router = SimpleRouter()
router.register("events", EventViewSet, basename="event")

urlpatterns = [path("", include(router.urls))]
