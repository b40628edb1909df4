"""Members, through a personal token: their own solutions and proposals, and who they are."""

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
from forum.api.serializers.common import MAX_COST, MAX_ID, StrictSerializerMixin
from forum.api.serializers.public import (
    ChallengeRefSerializer,
    OrganisationRefSerializer,
    SolutionSerializer,
)
from forum.models import (
    Field,
    Municipality,
    Organisation,
    Proposal,
    ProposalEvent,
    SolutionProfile,
    Technology,
)
from forum.rules.proposals import proposal_is_editable
from forum.selectors.challenges import challenge_list_published
from forum.selectors.roles import organisation_list_acting_for_user

# Their own solutions ----------------------------------------------------------------------


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


# Their own proposals ----------------------------------------------------------------------


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


# Who they are -----------------------------------------------------------------------------


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
