"""Open data: calls (募集回) and the published answers about a challenge."""

from django.shortcuts import get_object_or_404

from forum.api import filters
from forum.api.serializers.calls import CallSerializer, PublicAnswerSerializer
from forum.api.views.base import PublicReadViewSet
from forum.selectors.calls import call_list_published
from forum.selectors.challenges import challenge_list_published
from forum.selectors.questions import question_list_public


class CallViewSet(PublicReadViewSet):
    """Published calls with their schedules."""

    serializer_class = CallSerializer
    parameters = {"list": filters.ReferenceParameters}
    docs = {
        "list": "公開中の募集回の一覧\n受付期間・質問締切・選定・実証期間などの日程を含みます。"
        "課題は /challenges/?call=スラッグ で絞り込めます。",
        "retrieve": "公開中の募集回",
    }

    def detail_queryset(self):
        return call_list_published().order_by("-intake_opens_on", "-pk")


class ChallengeAnswerViewSet(PublicReadViewSet):
    """The published answers to questions about one published challenge (never the asker)."""

    serializer_class = PublicAnswerSerializer
    parameters = {"list": filters.ReferenceParameters}
    docs = {
        "list": "課題への質問と公開された回答\n質問者・団体は含みません。",
        "retrieve": "公開された回答",
    }

    def detail_queryset(self):
        challenge = get_object_or_404(challenge_list_published(), pk=self.kwargs["challenge_id"])
        return question_list_public(challenge)
