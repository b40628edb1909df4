"""What the API shows of each object, and what it accepts from members.

Every coded value comes with its Japanese and English names (``{"code", "name_ja",
"name_en"}``); references carry their stable id and natural key (slug or local government
code). Write serializers check shape only and refuse unknown fields; the services decide.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.translation import gettext as _

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from forum.api.fields import (
    CodedValueField,
    ReferenceMultipleChoiceField,
    StrictCharField,
    StrictIntegerField,
    coded,
    coded_schema,
    reference_values,
    required_text,
)
from forum.models import (
    Challenge,
    Field,
    Municipality,
    Organisation,
    Project,
    ProjectOutcome,
    ProjectParticipant,
    ProjectStageChange,
    Proposal,
    ProposalEvent,
    SolutionProfile,
    Technology,
)
from forum.models.challenges import DesiredStage
from forum.models.projects import Outcome, ParticipantRole, Stage
from forum.rules.project_progress import progress_percent
from forum.rules.proposals import proposal_is_editable
from forum.selectors.challenges import challenge_list_published
from forum.selectors.dashboard import DashboardTable, Measure
from forum.selectors.roles import organisation_list_acting_for_user
from forum.selectors.withdrawals import WITHDRAWN_TYPES

MAX_ID = 9_223_372_036_854_775_807
MAX_COST = 2_147_483_647


def absolute_url(path: str) -> str:
    """The public address of a page of the site, from SITE_URL."""
    return urljoin(settings.SITE_URL.rstrip("/") + "/", path.lstrip("/")) if path else ""


class StrictSerializerMixin:
    """Refuses fields the serializer does not know, instead of silently ignoring them."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            known = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(key) for key in data if key not in known)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("この項目は指定できません。")] for name in unknown}
                )
        return super().to_internal_value(data)


# Reference data ---------------------------------------------------------------------------


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["id", "slug", "name_ja", "name_en", "description", "sort_order", "is_active"]


class FieldRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["id", "slug", "name_ja", "name_en"]


class MunicipalitySerializer(serializers.ModelSerializer):
    name_ja = serializers.CharField(source="name")
    kind = CodedValueField(Municipality.Kind)

    class Meta:
        model = Municipality
        fields = ["id", "code", "name_ja", "name_en", "name_kana", "kind"]


class MunicipalityRefSerializer(serializers.ModelSerializer):
    name_ja = serializers.CharField(source="name")

    class Meta:
        model = Municipality
        fields = ["id", "code", "name_ja", "name_en"]


class TechnologySerializer(serializers.ModelSerializer):
    class Meta:
        model = Technology
        fields = ["id", "slug", "name_ja", "name_en"]


# Public objects ---------------------------------------------------------------------------


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
    participants = ParticipantSerializer(many=True)
    challenges = ChallengeRefSerializer(source="published_challenges", many=True)
    progress = serializers.SerializerMethodField()
    stage_history = StageChangeSerializer(source="stage_changes", many=True)
    outcome = serializers.SerializerMethodField()
    origin = serializers.SerializerMethodField()
    rollouts = ProjectRefSerializer(source="public_rollouts", many=True)
    started_at = serializers.DateTimeField(source="created_at")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "title",
            "field",
            "stage",
            "case_study",
            "municipalities",
            "participants",
            "challenges",
            "progress",
            "stage_history",
            "outcome",
            "origin",
            "rollouts",
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


# Members: their own solutions -------------------------------------------------------------


class MemberSolutionSerializer(SolutionSerializer):
    """One of the member's solutions, drafts included."""

    is_published = serializers.BooleanField()

    class Meta(SolutionSerializer.Meta):
        fields = [*SolutionSerializer.Meta.fields, "is_published", "created_at"]


def _active_field_slugs() -> list[str]:
    return list(
        Field.objects.filter(is_active=True).order_by("slug").values_list("slug", flat=True)
    )


class SolutionWriteSerializer(StrictSerializerMixin, serializers.Serializer):
    """The fields of the web form, with references by slug and code."""

    title = required_text(max_length=200)
    summary = required_text(max_length=1000)
    description = StrictCharField(max_length=20000, required=False, allow_blank=True)
    fields = ReferenceMultipleChoiceField(_active_field_slugs, required=False, allow_empty=True)
    technologies = ReferenceMultipleChoiceField(
        reference_values(Technology, "slug"), required=False, allow_empty=True
    )
    stage = serializers.ChoiceField(choices=SolutionProfile.Stage.choices, required=False)
    track_record = StrictCharField(max_length=5000, required=False, allow_blank=True)
    track_record_municipalities = ReferenceMultipleChoiceField(
        reference_values(Municipality, "code"), required=False, allow_empty=True
    )
    price_range = StrictCharField(max_length=200, required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=SolutionProfile.Language.choices, required=False)

    def validate(self, attrs):
        """Turn slugs and codes into the objects the service expects."""
        if "fields" in attrs:
            attrs["fields"] = list(Field.objects.filter(slug__in=attrs["fields"]))
        if "technologies" in attrs:
            attrs["technologies"] = list(Technology.objects.filter(slug__in=attrs["technologies"]))
        if "track_record_municipalities" in attrs:
            attrs["track_record_municipalities"] = list(
                Municipality.objects.filter(code__in=attrs["track_record_municipalities"])
            )
        return attrs


class SolutionCreateSerializer(SolutionWriteSerializer):
    organisation = StrictIntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text="ソリューションを登録する団体のID（/api/v1/member/me/ の organisations）",
    )

    def validate_organisation(self, value: int) -> Organisation:
        user = self.context["request"].user
        organisation = organisation_list_acting_for_user(user).filter(pk=value).first()
        if organisation is None:
            raise serializers.ValidationError(
                _("承認済みの所属団体（企業・大学など）のIDを指定してください。")
            )
        return organisation


class SolutionUpdateSerializer(SolutionWriteSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


# Members: their own proposals -------------------------------------------------------------


class SolutionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SolutionProfile
        fields = ["id", "title"]


class ProposalEventSerializer(serializers.ModelSerializer):
    from_status = serializers.SerializerMethodField()
    to_status = CodedValueField(Proposal.Status)

    class Meta:
        model = ProposalEvent
        fields = ["from_status", "to_status", "note", "created_at"]

    @extend_schema_field(coded_schema(Proposal.Status.values, nullable=True))
    def get_from_status(self, obj):
        return coded(Proposal.Status, obj.from_status) if obj.from_status else None


class ProposalSerializer(serializers.ModelSerializer):
    """One of the member organisation's proposals with its history."""

    challenge = ChallengeRefSerializer()
    organisation = OrganisationRefSerializer()
    solution = SolutionRefSerializer(allow_null=True)
    status = CodedValueField(Proposal.Status)
    is_editable = serializers.SerializerMethodField()
    history = ProposalEventSerializer(source="events", many=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "challenge",
            "organisation",
            "solution",
            "title",
            "summary",
            "approach",
            "schedule",
            "cost_estimate",
            "status",
            "is_editable",
            "decline_reason",
            "created_at",
            "updated_at",
            "submitted_at",
            "history",
        ]

    def get_is_editable(self, obj) -> bool:
        return proposal_is_editable(obj.status)


class ProposalWriteSerializer(StrictSerializerMixin, serializers.Serializer):
    title = required_text(max_length=200)
    summary = required_text(max_length=2000)
    approach = StrictCharField(max_length=10000, required=False, allow_blank=True)
    schedule = StrictCharField(max_length=3000, required=False, allow_blank=True)
    cost_estimate = StrictIntegerField(
        min_value=0, max_value=MAX_COST, required=False, allow_null=True, help_text="千円"
    )
    solution = StrictIntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="提案団体のソリューションのID",
    )

    def _solution_of(self, value: int | None, organisation: Organisation) -> SolutionProfile | None:
        if value is None:
            return None
        solution = SolutionProfile.objects.filter(pk=value, organisation=organisation).first()
        if solution is None:
            raise serializers.ValidationError(
                {"solution": [_("提案する団体のソリューションのIDを指定してください。")]}
            )
        return solution


class ProposalCreateSerializer(ProposalWriteSerializer):
    challenge = StrictIntegerField(min_value=1, max_value=MAX_ID, help_text="提案する課題のID")
    organisation = StrictIntegerField(min_value=1, max_value=MAX_ID, help_text="提案する団体のID")

    def validate(self, attrs):
        user = self.context["request"].user
        challenge = challenge_list_published().filter(pk=attrs["challenge"]).first()
        if challenge is None:
            raise serializers.ValidationError(
                {"challenge": [_("公開中の課題のIDを指定してください。")]}
            )
        organisation = (
            organisation_list_acting_for_user(user).filter(pk=attrs["organisation"]).first()
        )
        if organisation is None:
            raise serializers.ValidationError(
                {
                    "organisation": [
                        _("承認済みの所属団体（企業・大学など）のIDを指定してください。")
                    ]
                }
            )
        attrs["challenge"] = challenge
        attrs["organisation"] = organisation
        attrs["solution"] = self._solution_of(attrs.get("solution"), organisation)
        return attrs


class ProposalUpdateSerializer(ProposalWriteSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def validate(self, attrs):
        if "solution" in attrs:
            attrs["solution"] = self._solution_of(attrs["solution"], self.instance.organisation)
        return attrs


class ProposalTransitionSerializer(StrictSerializerMixin, serializers.Serializer):
    note = StrictCharField(max_length=5000, required=False, allow_blank=True)


class MeOrganisationSerializer(serializers.ModelSerializer):
    kind = CodedValueField(Organisation.Kind)

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind"]


class MeSerializer(serializers.Serializer):
    """Who the token belongs to and which organisations it acts for."""

    display_name = serializers.CharField()
    email = serializers.EmailField()
    organisations = MeOrganisationSerializer(many=True)
    token_name = serializers.CharField()
    token_expires_at = serializers.DateTimeField(allow_null=True)
