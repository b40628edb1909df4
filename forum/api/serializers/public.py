"""Open data: published challenges and solutions, member organisations, the public
dashboard's figures and what left the open data."""

from django.urls import reverse

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from forum.api.fields import CodedValueField, coded, coded_schema
from forum.api.serializers.common import absolute_url
from forum.api.serializers.reference import (
    FieldRefSerializer,
    MunicipalityRefSerializer,
    TechnologySerializer,
)
from forum.models import Challenge, Organisation, SolutionProfile
from forum.models.challenges import DesiredStage
from forum.models.projects import Stage
from forum.selectors.dashboard import DashboardTable, Measure
from forum.selectors.withdrawals import WITHDRAWN_TYPES


class ChallengeSerializer(serializers.ModelSerializer):
    """A published challenge, as its public page shows it."""

    municipality = MunicipalityRefSerializer()
    field = FieldRefSerializer()
    technologies = TechnologySerializer(many=True)
    status = CodedValueField(Challenge.Status)
    desired_stage = CodedValueField(DesiredStage)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Challenge
        fields = [
            "id",
            "title",
            "summary",
            "title_en",
            "summary_en",
            "background",
            "wanted",
            "data_available",
            "municipality",
            "field",
            "technologies",
            "status",
            "desired_stage",
            "budget_min",
            "budget_max",
            "deadline",
            "contact",
            "url",
            "published_at",
            "updated_at",
        ]

    def get_url(self, obj) -> str:
        return absolute_url(obj.url)


class OrganisationRefSerializer(serializers.ModelSerializer):
    kind = CodedValueField(Organisation.Kind)

    class Meta:
        model = Organisation
        fields = ["id", "name", "name_kana", "kind", "website"]


class OrganisationSerializer(serializers.ModelSerializer):
    """An approved member organisation: the public directory's columns only."""

    kind = CodedValueField(Organisation.Kind)
    published_solutions = serializers.IntegerField(source="solution_count")

    class Meta:
        model = Organisation
        fields = ["id", "name", "name_kana", "kind", "website", "published_solutions", "updated_at"]


class SolutionSerializer(serializers.ModelSerializer):
    """A published solution with its organisation."""

    organisation = OrganisationRefSerializer()
    fields = FieldRefSerializer(many=True)
    technologies = TechnologySerializer(many=True)
    track_record_municipalities = MunicipalityRefSerializer(many=True)
    stage = CodedValueField(SolutionProfile.Stage)
    language = CodedValueField(SolutionProfile.Language)
    url = serializers.SerializerMethodField()

    class Meta:
        model = SolutionProfile
        fields = [
            "id",
            "title",
            "summary",
            "description",
            "organisation",
            "fields",
            "technologies",
            "stage",
            "track_record",
            "track_record_municipalities",
            "price_range",
            "language",
            "url",
            "published_at",
            "updated_at",
        ]

    def get_url(self, obj) -> str:
        return absolute_url(reverse("directory:solution", args=[obj.pk]))


class ChallengeRefSerializer(serializers.ModelSerializer):
    municipality = MunicipalityRefSerializer()
    status = CodedValueField(Challenge.Status)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Challenge
        fields = ["id", "title", "municipality", "status", "deadline", "url"]

    def get_url(self, obj) -> str:
        return absolute_url(obj.url)


class FigureSerializer(serializers.Serializer):
    """One number of the public dashboard with what it counts (null: of every stage, field or place)."""

    table = CodedValueField(DashboardTable)
    measure = CodedValueField(Measure)
    stage = serializers.SerializerMethodField()
    field = FieldRefSerializer(allow_null=True)
    municipality = MunicipalityRefSerializer(allow_null=True)
    value = serializers.SerializerMethodField()

    @extend_schema_field(coded_schema(Stage.values, nullable=True))
    def get_stage(self, obj):
        return coded(Stage, obj.stage) if obj.stage else None

    @extend_schema_field(
        {
            "type": "number",
            "nullable": True,
            "description": "件数、率（%）または日数。計算できないとき（分母が0など）は null",
        }
    )
    def get_value(self, obj):
        return obj.value


class DashboardSerializer(serializers.Serializer):
    """The public dashboard: the headline numbers and every figure of its tables."""

    projects = serializers.IntegerField(help_text="公開プロジェクトの数")
    implemented = serializers.IntegerField(
        help_text="社会実装に一度でも到達した公開プロジェクトの数"
    )
    implementation_rate = serializers.FloatField(
        allow_null=True, help_text="社会実装率（%）。公開プロジェクトがなければ null"
    )
    last_updated = serializers.DateTimeField(allow_null=True, help_text="数値が最後に変わった日時")
    figures = FigureSerializer(many=True)


class WithdrawnSerializer(serializers.Serializer):
    """A record that was public and is not any more: a harvester removes its copy."""

    type = serializers.ChoiceField(
        choices=list(WITHDRAWN_TYPES),
        help_text="challenge: 地域課題、solution: ソリューション、project: プロジェクト",
    )
    id = serializers.IntegerField(help_text="各一覧（/challenges/ など）での ID")
    withdrawn_at = serializers.DateTimeField(
        help_text="非公開になった（またはその後に最後に変わった）日時"
    )
