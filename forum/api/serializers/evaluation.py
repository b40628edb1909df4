"""Public results of selections: who was selected, the criteria and weights, how many
proposals were received and why; never a score, a note or another proposal."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from forum.api.serializers.public import ChallengeRefSerializer
from forum.models import Criterion
from forum.selectors.evaluation import selection_public_result


class CriterionSerializer(serializers.ModelSerializer):
    """A published criterion and its weight."""

    class Meta:
        model = Criterion
        fields = ["name", "weight", "description"]


class SelectedSerializer(serializers.Serializer):
    """A selected proposal's title and its organisation(s)."""

    title = serializers.CharField()
    organisations = serializers.ListField(child=serializers.CharField())


class ResultSerializer(serializers.Serializer):
    """The public result of one challenge's selection."""

    challenge = ChallengeRefSerializer()
    criteria = serializers.SerializerMethodField()
    scale_min = serializers.IntegerField()
    scale_max = serializers.IntegerField()
    received = serializers.SerializerMethodField()
    selected = serializers.SerializerMethodField()
    reasons = serializers.CharField(source="public_reasons")
    published_at = serializers.DateTimeField()

    def _result(self, obj):
        cache = self.context.setdefault("_results", {})
        if obj.pk not in cache:
            cache[obj.pk] = selection_public_result(obj.challenge)
        return cache[obj.pk]

    @extend_schema_field(CriterionSerializer(many=True))
    def get_criteria(self, obj) -> list:
        return CriterionSerializer(self._result(obj).criteria, many=True).data

    def get_received(self, obj) -> int:
        return self._result(obj).received

    @extend_schema_field(SelectedSerializer(many=True))
    def get_selected(self, obj) -> list:
        return SelectedSerializer(self._result(obj).selected, many=True).data
