"""Query parameters of the API's lists, checked strictly: unknown or malformed ones are a 400.

The public pages drop values they do not understand; a program asking for something that
does not exist deserves to be told. The valid values (field slugs, municipality codes, …)
are read from the database when the schema is built, so the documentation lists them.
"""

from django.utils.translation import gettext as _

from rest_framework import serializers

from forum.api.fields import ReferenceChoiceField, TimestampField, reference_values
from forum.api.serializers import MAX_ID
from forum.models import (
    Challenge,
    Field,
    Municipality,
    Organisation,
    Proposal,
    SolutionProfile,
    Technology,
)
from forum.models.challenges import DesiredStage
from forum.models.projects import Stage
from forum.selectors.challenges import SORTS, ChallengeFilters
from forum.selectors.dashboard import DashboardTable
from forum.selectors.projects import PROJECT_SORTS
from forum.selectors.solutions import SOLUTION_SORTS, DirectoryFilters
from forum.selectors.withdrawals import WITHDRAWN_TYPES

PAGINATION_PARAMETERS = ("page", "page_size")


class QueryParameters(serializers.Serializer):
    """Base of every list's parameters: anything not declared (or paginating) is refused."""

    paginated = True  # False for a single object, which has no pages to ask for

    def to_internal_value(self, data):
        allowed = set(self.fields) | (set(PAGINATION_PARAMETERS) if self.paginated else set())
        errors = {key: [_("このパラメータは使えません。")] for key in data if key not in allowed}
        values = {}
        for key in data:
            given = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
            if len(given) > 1:
                errors.setdefault(key, [_("このパラメータは1回だけ指定してください。")])
            values[key] = given[-1]
        if errors:
            raise serializers.ValidationError(errors)
        # A plain dict, not the QueryDict: an empty value is then checked like any other
        # (``?field=`` is not a field) instead of being taken as absent.
        return super().to_internal_value(values)


def _text_field() -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="語句（空白で区切るとすべてを含むもの）",
    )


def _since_field() -> TimestampField:
    return TimestampField(
        required=False,
        help_text="この日時以降に更新されたものだけ（ISO 8601、差分取得用）",
    )


class ChallengeParameters(QueryParameters):
    """The public challenge list's filters, plus free text and a change date."""

    field = ReferenceChoiceField(
        reference_values(Field, "slug"), required=False, help_text="分野のスラッグ"
    )
    municipality = ReferenceChoiceField(
        reference_values(Municipality, "code"),
        required=False,
        help_text="市町村の地方公共団体コード（6桁）",
    )
    technology = ReferenceChoiceField(
        reference_values(Technology, "slug"), required=False, help_text="技術のスラッグ"
    )
    status = serializers.ChoiceField(choices=Challenge.Status.values, required=False)
    stage = serializers.ChoiceField(
        choices=DesiredStage.values, required=False, help_text="目指す段階"
    )
    q = _text_field()
    updated_since = _since_field()
    sort = serializers.ChoiceField(
        choices=list(SORTS),
        required=False,
        help_text="new: 新着順（既定）、deadline: 締切順、updated: 更新の古い順（差分取得用）",
    )

    def filters(self) -> ChallengeFilters:
        """The validated parameters as the selector's filter state."""
        data = self.validated_data
        return ChallengeFilters(
            field=data.get("field", ""),
            municipality=data.get("municipality", ""),
            technology=data.get("technology", ""),
            status=data.get("status", ""),
            stage=data.get("stage", ""),
            q=data.get("q", "").strip(),
            sort=data.get("sort") or "new",
        )


class SolutionParameters(QueryParameters):
    """The public solution directory's filters, plus stage, organisation, text and a change date."""

    field = ReferenceChoiceField(
        reference_values(Field, "slug"), required=False, help_text="分野のスラッグ"
    )
    technology = ReferenceChoiceField(
        reference_values(Technology, "slug"), required=False, help_text="技術のスラッグ"
    )
    kind = serializers.ChoiceField(
        choices=[k for k in Organisation.Kind.values if k not in ("municipality", "secretariat")],
        required=False,
        help_text="団体の種別",
    )
    municipality = ReferenceChoiceField(
        reference_values(Municipality, "code"),
        required=False,
        help_text="導入実績のある市町村のコード",
    )
    stage = serializers.ChoiceField(
        choices=SolutionProfile.Stage.values, required=False, help_text="提供段階"
    )
    organisation = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="団体のID"
    )
    q = _text_field()
    updated_since = _since_field()
    sort = serializers.ChoiceField(
        choices=list(SOLUTION_SORTS),
        required=False,
        help_text="new: 公開の新しい順（既定）、updated: 更新の古い順（差分取得用）",
    )

    def filters(self) -> DirectoryFilters:
        """The validated parameters as the directory's filter state."""
        data = self.validated_data
        return DirectoryFilters(
            field=data.get("field", ""),
            technology=data.get("technology", ""),
            kind=data.get("kind", ""),
            municipality=data.get("municipality", ""),
            stage=data.get("stage", ""),
            q=data.get("q", "").strip(),
            sort=data.get("sort") or "new",
        )


class ProjectParameters(QueryParameters):
    """The public project list's filters (/projects/), plus a change date."""

    stage = serializers.ChoiceField(
        choices=Stage.values, required=False, help_text="現在のステージ"
    )
    field = ReferenceChoiceField(
        reference_values(Field, "slug"), required=False, help_text="分野のスラッグ"
    )
    municipality = ReferenceChoiceField(
        reference_values(Municipality, "code"),
        required=False,
        help_text="参加市町村の地方公共団体コード（6桁）",
    )
    updated_since = _since_field()
    sort = serializers.ChoiceField(
        choices=list(PROJECT_SORTS),
        required=False,
        help_text="new: 開始の新しい順（既定）、updated: 更新の古い順（差分取得用）",
    )

    def filters(self) -> dict:
        """The validated parameters as the selector's keyword arguments."""
        data = self.validated_data
        return {
            "stage": data.get("stage", ""),
            "field": data.get("field", ""),
            "municipality": data.get("municipality", ""),
            "updated_since": data.get("updated_since"),
            "sort": data.get("sort") or "new",
        }


class DashboardParameters(QueryParameters):
    """The public dashboard is one object: it takes a table to narrow to, and no pages."""

    paginated = False

    table = serializers.ChoiceField(
        choices=DashboardTable.values, required=False, help_text="この表の数値だけを返す"
    )


class WithdrawnParameters(QueryParameters):
    """Which kind of record to list, and since when."""

    type = serializers.ChoiceField(
        choices=list(WITHDRAWN_TYPES), required=False, help_text="この種類だけ（既定はすべて）"
    )
    since = TimestampField(
        required=False,
        help_text="この日時以降に非公開になったものだけ（ISO 8601、前回の取得日時を指定）",
    )


class OrganisationParameters(QueryParameters):
    kind = serializers.ChoiceField(
        choices=[k for k in Organisation.Kind.values if k not in ("municipality", "secretariat")],
        required=False,
        help_text="団体の種別",
    )
    q = _text_field()
    updated_since = _since_field()


class ReferenceParameters(QueryParameters):
    """Fields, municipalities and technologies take pagination only."""


class DetailParameters(QueryParameters):
    """A single object takes no parameters at all."""

    def to_internal_value(self, data):
        unknown = sorted(data)
        if unknown:
            raise serializers.ValidationError(
                {key: [_("このパラメータは使えません。")] for key in unknown}
            )
        return {}


class MemberSolutionParameters(QueryParameters):
    organisation = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="団体のID"
    )
    updated_since = _since_field()


class MemberProposalParameters(QueryParameters):
    organisation = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="提案団体のID"
    )
    challenge = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="課題のID"
    )
    status = serializers.ChoiceField(choices=Proposal.Status.values, required=False)
    updated_since = _since_field()
