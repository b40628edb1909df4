"""Open data: published challenges and solutions, member organisations, the public
dashboard's figures and what left the open data."""

from django.urls import reverse

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from forum.api.fields import CodedValueField, coded, coded_schema
from forum.api.serializers.calls import CallRefSerializer
from forum.api.serializers.common import absolute_url
from forum.api.serializers.reference import (
    DepartmentRefSerializer,
    FieldRefSerializer,
    MunicipalityRefSerializer,
    TechnologySerializer,
)
from forum.api.serializers.tags import DatasetRefSerializer, SdgSerializer, ThemeTaggingSerializer
from forum.models import Challenge, Organisation, SolutionProfile
from forum.models.challenges import DesiredStage
from forum.models.projects import Stage
from forum.selectors.dashboard_series import SeriesMeasure, SeriesTable
from forum.selectors.dashboard_tables import DashboardTable, Measure
from forum.selectors.withdrawals import WITHDRAWN_TYPES


class ChallengeSerializer(serializers.ModelSerializer):
    """A published challenge, as its public page shows it."""

    municipality = MunicipalityRefSerializer()
    field = FieldRefSerializer()
    technologies = TechnologySerializer(many=True)
    sdgs = SdgSerializer(source="sdg_goals", many=True)
    themes = ThemeTaggingSerializer(source="theme_taggings", many=True)
    datasets = DatasetRefSerializer(many=True)
    status = CodedValueField(Challenge.Status)
    desired_stage = CodedValueField(DesiredStage)
    call = CallRefSerializer(allow_null=True)
    department = DepartmentRefSerializer(allow_null=True, help_text="担当所属")
    deadline = serializers.DateField(
        source="closes_on",
        allow_null=True,
        read_only=True,
        help_text="募集締切: 課題の締切と募集回の受付締切のうち早い日",
    )
    url = serializers.SerializerMethodField()
    support_count = serializers.SerializerMethodField(
        help_text="住民の応援（私も困っています）の数"
    )

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
            "sdgs",
            "themes",
            "datasets",
            "status",
            "desired_stage",
            "budget_min",
            "budget_max",
            "deadline",
            "contact",
            "call",
            "department",
            "responsible_post",
            "url",
            "published_at",
            "updated_at",
            "support_count",
        ]

    def get_url(self, obj) -> str:
        return absolute_url(obj.url)

    def get_support_count(self, obj) -> int:
        counted = getattr(obj, "support_count", None)
        return counted if counted is not None else obj.supports.count()


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


class SeriesPeriodSerializer(serializers.Serializer):
    """A fiscal year or quarter: its key and its name in the request's language."""

    key = serializers.CharField(help_text="2024（年度）または 2024-Q1（四半期）")
    label = serializers.CharField(help_text="令和6年度 / FY2024 など")


class SeriesPointSerializer(serializers.Serializer):
    """One number of a series: what it counts in which period."""

    table = CodedValueField(SeriesTable)
    measure = CodedValueField(SeriesMeasure)
    stage = serializers.SerializerMethodField()
    period = serializers.SerializerMethodField(help_text="期間のキー（periods の key）")
    value = serializers.SerializerMethodField()

    @extend_schema_field(coded_schema(Stage.values, nullable=True))
    def get_stage(self, obj):
        return coded(Stage, obj.stage) if obj.stage else None

    def get_period(self, obj) -> str:
        return obj.period.key

    @extend_schema_field(
        {"type": "number", "nullable": True, "description": "件数、率（%）または日数"}
    )
    def get_value(self, obj):
        return obj.value

    def to_representation(self, instance):
        # The fields above describe the schema; a series has hundreds of points, so each is
        # written directly rather than field by field.
        return {
            "table": coded(SeriesTable, instance.table),
            "measure": coded(SeriesMeasure, instance.measure),
            "stage": self.get_stage(instance),
            "period": instance.period.key,
            "value": instance.value,
        }


class DashboardSeriesSerializer(serializers.Serializer):
    """The public figures over time."""

    grain = serializers.ChoiceField(choices=["year", "quarter"])
    periods = SeriesPeriodSerializer(many=True)
    points = SeriesPointSerializer(many=True)


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
