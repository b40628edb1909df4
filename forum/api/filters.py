"""Query parameters of the API's lists, checked strictly: unknown or malformed ones are a 400.

The public pages drop values they do not understand; a program asking for something that
does not exist deserves to be told. The filters of a public list and their valid values
(field slugs, municipality codes, …) are the page's own specification (forum/filters.py),
read from the database when the schema is built, so the documentation lists them.
"""

from django.utils.translation import gettext as _

from rest_framework import serializers

from forum.api.fields import ReferenceChoiceField, TimestampField
from forum.api.serializers import MAX_ID
from forum.filters import (
    CHALLENGE_FILTERS,
    ORGANISATION_FILTERS,
    PROJECT_FILTERS,
    SOLUTION_FILTERS,
    Filter,
    FilterSpec,
    Text,
    department_filter,
)
from forum.models import Proposal
from forum.rules.kpi_rollup import ADDITIVE_UNITS
from forum.selectors.challenges import ChallengeFilters
from forum.selectors.dashboard_series import SeriesTable
from forum.selectors.dashboard_tables import DashboardTable
from forum.selectors.solutions import DirectoryFilters
from forum.selectors.withdrawals import WITHDRAWN_TYPES

PAGINATION_PARAMETERS = ("page", "page_size")


def _documented(spec_filter: Filter) -> serializers.Field:
    """The serializer field that documents one filter of a list's specification in the schema."""
    help_text = spec_filter.help_text or None
    if isinstance(spec_filter, Text):
        return serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=spec_filter.max_length,
            help_text=help_text,
        )
    if spec_filter.reference:
        return ReferenceChoiceField(spec_filter.values, required=False, help_text=help_text)
    return serializers.ChoiceField(
        choices=spec_filter.allowed(), required=False, help_text=help_text
    )


class QueryParameters(serializers.Serializer):
    """Base of every list's parameters: anything not declared (or paginating) is refused.

    A public list names its ``spec`` (forum/filters.py), the one its page parses: those
    filters are checked by the specification, strictly, and documented from it.
    """

    paginated = True  # False for a single object, which has no pages to ask for
    spec: FilterSpec | None = None

    def get_fields(self):
        fields = super().get_fields()
        if self.spec is None:
            return fields
        return {**{f.name: _documented(f) for f in self.spec}, **fields}

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
        if self.spec is None:
            return super().to_internal_value(values)
        return self._with_spec(values)

    def _with_spec(self, values: dict) -> dict:
        parsed = self.spec.parse({k: v for k, v in values.items() if k in self.spec}, strict=True)
        errors = dict(parsed.errors)
        try:
            checked = super().to_internal_value(
                {k: v for k, v in values.items() if k not in self.spec}
            )
        except serializers.ValidationError as exc:
            checked = {}
            errors.update(exc.detail)
        if errors:
            raise serializers.ValidationError(errors)
        return {**checked, **{name: parsed.values[name] for name in parsed.given}}


def _since_field() -> TimestampField:
    return TimestampField(
        required=False,
        help_text="この日時以降に更新されたものだけ（ISO 8601、差分取得用）",
    )


class ChallengeParameters(QueryParameters):
    """The public challenge list's filters (its page's specification), plus a change date."""

    spec = CHALLENGE_FILTERS
    updated_since = _since_field()

    def filters(self) -> ChallengeFilters:
        """The validated parameters as the selector's filter state."""
        return ChallengeFilters.from_values(self.validated_data)


class SolutionParameters(QueryParameters):
    """The public solution directory's filters, plus organisation and a change date."""

    spec = SOLUTION_FILTERS
    organisation = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, help_text="団体のID"
    )
    updated_since = _since_field()

    def filters(self) -> DirectoryFilters:
        """The validated parameters as the directory's filter state."""
        return DirectoryFilters.from_values(self.validated_data)


class ProjectParameters(QueryParameters):
    """The public project list's filters (/projects/), plus a change date."""

    spec = PROJECT_FILTERS
    updated_since = _since_field()

    def filters(self) -> dict:
        """The validated parameters as the selector's keyword arguments."""
        values = self.spec.complete(self.validated_data)
        return {**values, "updated_since": self.validated_data.get("updated_since")}


class DashboardParameters(QueryParameters):
    """The public dashboard is one object: it takes a table to narrow to, and no pages."""

    paginated = False

    table = serializers.ChoiceField(
        choices=DashboardTable.values, required=False, help_text="この表の数値だけを返す"
    )


class DashboardSeriesParameters(QueryParameters):
    """The figures over time: one table (series) or all, by fiscal year or quarter, of every
    public project or of one department's."""

    paginated = False
    spec = FilterSpec(department_filter())

    table = serializers.ChoiceField(
        choices=SeriesTable.values, required=False, help_text="この系列（表）の数値だけを返す"
    )
    grain = serializers.ChoiceField(
        choices=["year", "quarter"],
        required=False,
        help_text="year: 年度ごと（既定）、quarter: 四半期ごと",
    )


class KpiRollupParameters(QueryParameters):
    """The KPI roll-up is one object: it takes a unit and a department to narrow to, and no
    pages."""

    paginated = False
    spec = FilterSpec(department_filter())

    unit = serializers.ChoiceField(
        choices=[str(u) for u in ADDITIVE_UNITS],
        required=False,
        help_text="この単位の合計だけを返す",
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
    """The public organisation directory's filters, plus a change date."""

    spec = ORGANISATION_FILTERS
    updated_since = _since_field()


class ReferenceParameters(QueryParameters):
    """Fields, municipalities and technologies (and calls, and a challenge's answers) take
    pagination only."""


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
