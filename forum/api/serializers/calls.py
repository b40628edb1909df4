"""Open data of calls (募集回) and of the published answers to questions about challenges.

A question's asker, organisation and anything unpublished are never serialised.
"""

from rest_framework import serializers

from forum.api.fields import CodedValueField
from forum.api.serializers.common import absolute_url
from forum.models import Call, Organisation, Question


class CallRefSerializer(serializers.ModelSerializer):
    """A call as other objects name it."""

    title = serializers.CharField(source="title_ja")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = ["id", "slug", "title", "title_en", "url"]

    def get_url(self, obj) -> str:
        return absolute_url(obj.get_absolute_url())


class CallSerializer(serializers.ModelSerializer):
    """A published call with its schedule; the runner is the secretariat or a municipality."""

    title = serializers.CharField(source="title_ja")
    description = serializers.CharField(source="description_ja")
    runner_kind = CodedValueField(Organisation.Kind, source="organisation.kind")
    runner = serializers.CharField(source="organisation.name")
    url = serializers.SerializerMethodField()
    challenges_url = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "id",
            "slug",
            "title",
            "title_en",
            "description",
            "description_en",
            "runner_kind",
            "runner",
            "intake_opens_on",
            "intake_closes_on",
            "question_deadline",
            "answer_date",
            "selection_date",
            "poc_starts_on",
            "poc_ends_on",
            "midterm_report_on",
            "final_report_on",
            "url",
            "challenges_url",
        ]

    def get_url(self, obj) -> str:
        return absolute_url(obj.get_absolute_url())

    def get_challenges_url(self, obj) -> str:
        return absolute_url(f"/api/v1/challenges/?call={obj.slug}")


class PublicAnswerSerializer(serializers.ModelSerializer):
    """A published question and its answer: no asker, no organisation."""

    question = serializers.CharField(source="body")
    challenge = serializers.IntegerField(source="challenge_id")

    class Meta:
        model = Question
        fields = ["id", "challenge", "question", "answer", "published_at"]
