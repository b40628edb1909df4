"""Serializer fields the API shares, with how each appears in the OpenAPI schema."""

import re
from datetime import UTC, datetime, timedelta
from datetime import timezone as dt_timezone
from functools import cache

from django.core.validators import RegexValidator
from django.db import DatabaseError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def label_in(language: str, label) -> str:
    """A (lazy) label rendered in one language."""
    with translation.override(language):
        return str(label)


@cache
def _names(choices, language: str) -> dict[str, str]:
    """Every name of a choices class in one language, rendered once per process: a long list
    (the dashboard's series has hundreds of points) would otherwise switch language for each."""
    return {value: label_in(language, label) for value, label in choices.choices}


def coded(choices, value: str) -> dict:
    """A coded value with its Japanese and English names."""
    ja, en = _names(choices, "ja"), _names(choices, "en")
    return {
        "code": value,
        "name_ja": ja.get(value, str(value)),
        "name_en": en.get(value, str(value)),
    }


def coded_schema(values, *, nullable: bool = False) -> dict:
    """The schema of ``{"code", "name_ja", "name_en"}`` with the codes as an enum."""
    schema = {
        "type": "object",
        "properties": {
            "code": {"type": "string", "enum": list(values)},
            "name_ja": {"type": "string"},
            "name_en": {"type": "string"},
        },
        "required": ["code", "name_ja", "name_en"],
    }
    if nullable:
        schema["nullable"] = True
    return schema


class CodedValueField(serializers.Field):
    """A read-only choice shown as ``{"code", "name_ja", "name_en"}``."""

    def __init__(self, choices, **kwargs):
        self.choice_class = choices
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return coded(self.choice_class, value)


class CodedValueFieldExtension(OpenApiSerializerFieldExtension):
    target_class = CodedValueField

    def map_serializer_field(self, auto_schema, direction):
        return coded_schema(self.target.choice_class.values)


def reference_values(model, column: str):
    """A loader of one column of reference data (slugs or codes), in order."""

    def load() -> list[str]:
        return list(model.objects.order_by(column).values_list(column, flat=True))

    return load


class ReferenceValuesMixin:
    """Choices read from reference data when a value is checked or the schema is written.

    A database error while checking a value propagates (the API answers 503): taking it for
    an empty vocabulary would blame the client's valid value.
    """

    def __init__(self, values=None, **kwargs):
        self.values_loader = values
        self.values_loaded = values is None
        super().__init__(choices=[], **kwargs)

    def load_values(self) -> None:
        """Read the valid values once for this field."""
        if not self.values_loaded:
            self.choices = self.values_loader()
            self.values_loaded = True

    def to_internal_value(self, data):
        self.load_values()
        return super().to_internal_value(data)


def _schema_values(field: ReferenceValuesMixin) -> list[str]:
    """The field's valid values for the schema; none when they cannot be read."""
    try:
        field.load_values()
    except DatabaseError:
        # No tables yet (`check --deploy` on a fresh machine builds the schema): no enum.
        return []
    return list(field.choices)


class ReferenceChoiceField(ReferenceValuesMixin, serializers.ChoiceField):
    """A slug or code of reference data; the valid values are read when the serializer is made."""


class StrictCharField(serializers.CharField):
    """Text in a JSON body must be a JSON string (DRF would turn 12 into "12")."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def required_text(*, max_length: int, **kwargs) -> StrictCharField:
    """Text that must contain something besides spaces (the pattern tells the schema so)."""
    return StrictCharField(
        max_length=max_length,
        validators=[RegexValidator(r"\S", _("空白以外の文字を入力してください。"))],
        **kwargs,
    )


class StrictIntegerField(serializers.IntegerField):
    """A number in a JSON body must be a JSON integer (not "12", 12.5 or true)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class ReferenceMultipleChoiceField(ReferenceValuesMixin, serializers.MultipleChoiceField):
    """A JSON list of slugs or codes of reference data."""

    default_error_messages = {
        "not_a_list": _("リスト（配列）で指定してください。"),
        "duplicate": _("同じ値を重複して指定しています。"),
    }

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        if any(not isinstance(item, str) for item in data):
            self.fail("not_a_list", input_type=type(data).__name__)
        if len(set(data)) != len(data):
            self.fail("duplicate")
        return super().to_internal_value(data)


def _string_enum(values) -> dict:
    values = list(values)
    # An empty vocabulary (a database without reference data) still gives a valid schema.
    return {"type": "string", "enum": values} if values else {"type": "string"}


class ReferenceChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = ReferenceChoiceField

    def map_serializer_field(self, auto_schema, direction):
        return _string_enum(_schema_values(self.target))


class ReferenceMultipleChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = ReferenceMultipleChoiceField

    def map_serializer_field(self, auto_schema, direction):
        items = _string_enum(_schema_values(self.target))
        return {"type": "array", "items": items, "uniqueItems": True}


_RFC3339 = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2})"
    r"(?P<fraction>\.\d+)?(?P<zone>[Zz]|[+-]\d{2}:\d{2})?$"
)


@extend_schema_field(OpenApiTypes.DATETIME)
class TimestampField(serializers.Field):
    """An ISO 8601 / RFC 3339 date-time; a bare date means its midnight in Japan time.

    Leap seconds, more than six decimals and offsets that carry the moment past the ends
    of the calendar are legal RFC 3339; they are read as the nearest moment Python holds.
    """

    default_error_messages = {
        "invalid": _("日時はISO 8601形式（例: 2025-04-01T09:00:00+09:00）で指定してください。")
    }

    def to_internal_value(self, data) -> datetime:
        value = str(data).strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            value += "T00:00:00"
        match = _RFC3339.match(value)
        if match is None:
            self.fail("invalid")
        try:
            moment = datetime.fromisoformat(
                f"{match['date']}T{match['h']}:{match['m']}:{min(int(match['s']), 59):02d}"
                + (match["fraction"] or "")[:7]
            )
        except ValueError:
            self.fail("invalid")
        zone = match["zone"]
        if zone is None:
            aware = timezone.make_aware(moment)
        elif zone in ("Z", "z"):
            aware = moment.replace(tzinfo=UTC)
        else:
            hours, minutes = int(zone[1:3]), int(zone[4:6])
            if hours > 23 or minutes > 59:
                self.fail("invalid")
            offset = timedelta(hours=hours, minutes=minutes) * (1 if zone[0] == "+" else -1)
            aware = moment.replace(tzinfo=dt_timezone(offset))
        try:
            # The database compares in UTC; near year 1 or 9999 the shift may leave the calendar.
            return aware.astimezone(UTC)
        except OverflowError:
            return _calendar_end(moment)

    def to_representation(self, value):
        return value.isoformat()


def _calendar_end(moment: datetime) -> datetime:
    """The first or last moment Python can hold, whichever the overflowing value is near."""
    return (datetime.min if moment.year < 5000 else datetime.max).replace(tzinfo=UTC)
