"""Public projects: what their public page shows, never who moved a stage or the notes."""

from django.core.exceptions import ObjectDoesNotExist

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from forum.api.fields import CodedValueField, coded, coded_schema
from forum.api.serializers.common import absolute_url
from forum.api.serializers.public import ChallengeRefSerializer, OrganisationRefSerializer
from forum.api.serializers.reference import (
    DepartmentRefSerializer,
    FieldRefSerializer,
    MunicipalityRefSerializer,
)
from forum.api.serializers.tags import DatasetRefSerializer, SdgSerializer, ThemeTaggingSerializer
from forum.models import Project, ProjectOutcome, ProjectParticipant, ProjectStageChange
from forum.models.projects import Outcome, ParticipantRole, Stage
from forum.rules.project_progress import progress_percent


class ProjectRefSerializer(serializers.ModelSerializer):
    stage = CodedValueField(Stage)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "title", "stage", "url"]

    def get_url(self, obj) -> str:
        return absolute_url(obj.get_absolute_url())


class ParticipantSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer()
    role = CodedValueField(ParticipantRole)

    class Meta:
        model = ProjectParticipant
        fields = ["organisation", "role"]


class OutcomeSerializer(serializers.ModelSerializer):
    """What an evaluation decided and what was learned."""

    decision = CodedValueField(Outcome)

    class Meta:
        model = ProjectOutcome
        fields = ["decision", "lessons"]


def _outcome_of(change: ProjectStageChange) -> ProjectOutcome | None:
    try:
        return change.outcome
    except ObjectDoesNotExist:
        return None


class StageChangeSerializer(serializers.ModelSerializer):
    """One move of the stage: from, to, when; never who made it or their note."""

    from_stage = serializers.SerializerMethodField()
    to_stage = CodedValueField(Stage)
    changed_at = serializers.DateTimeField(source="created_at")
    is_correction = serializers.BooleanField(
        source="is_override", help_text="事務局によるステージの修正"
    )
    outcome = serializers.SerializerMethodField()

    class Meta:
        model = ProjectStageChange
        fields = ["from_stage", "to_stage", "changed_at", "is_correction", "outcome"]

    @extend_schema_field(coded_schema(Stage.values, nullable=True))
    def get_from_stage(self, obj):
        return coded(Stage, obj.from_stage) if obj.from_stage else None

    @extend_schema_field(OutcomeSerializer(allow_null=True))
    def get_outcome(self, obj):
        outcome = _outcome_of(obj)
        return OutcomeSerializer(outcome).data if outcome else None


class ProjectSerializer(serializers.ModelSerializer):
    """A public project, as its public page shows it: the case study, stages and outcomes,
    who takes part, where, on which published challenges, and how far it got."""

    field = FieldRefSerializer()
    stage = CodedValueField(Stage)
    municipalities = MunicipalityRefSerializer(many=True)
    sdgs = SdgSerializer(source="sdg_goals", many=True)
    themes = ThemeTaggingSerializer(source="theme_taggings", many=True)
    datasets = DatasetRefSerializer(many=True)
    participants = ParticipantSerializer(many=True)
    challenges = ChallengeRefSerializer(source="published_challenges", many=True)
    progress = serializers.SerializerMethodField()
    stage_history = StageChangeSerializer(source="stage_changes", many=True)
    outcome = serializers.SerializerMethodField()
    origin = serializers.SerializerMethodField()
    rollouts = ProjectRefSerializer(source="public_rollouts", many=True)
    department = DepartmentRefSerializer(allow_null=True, help_text="担当所属")
    started_at = serializers.DateTimeField(source="created_at")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "title",
            "title_en",
            "field",
            "stage",
            "case_study",
            "case_study_en",
            "municipalities",
            "sdgs",
            "themes",
            "datasets",
            "participants",
            "challenges",
            "progress",
            "stage_history",
            "outcome",
            "origin",
            "rollouts",
            "department",
            "responsible_post",
            "url",
            "started_at",
            "updated_at",
        ]

    @extend_schema_field(
        {
            "type": "integer",
            "minimum": 0,
            "maximum": 100,
            "nullable": True,
            "description": "マイルストーンの重みで計算した進捗率（%）。マイルストーンがなければ null",
        }
    )
    def get_progress(self, obj):
        return progress_percent(obj.weight_done, obj.weight_total)

    @extend_schema_field(OutcomeSerializer(allow_null=True))
    def get_outcome(self, obj):
        """The latest outcome recorded (a project may have been evaluated more than once)."""
        outcomes = [o for o in map(_outcome_of, obj.stage_changes.all()) if o is not None]
        return OutcomeSerializer(outcomes[-1]).data if outcomes else None

    @extend_schema_field(ProjectRefSerializer(allow_null=True))
    def get_origin(self, obj):
        """The project this one rolled out from, when that one is public too."""
        if obj.origin_id is None or not obj.origin.is_public:
            return None
        return ProjectRefSerializer(obj.origin).data

    def get_url(self, obj) -> str:
        return absolute_url(obj.get_absolute_url())
