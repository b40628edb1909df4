"""How the API describes itself in OpenAPI: every operation documents the errors it can return."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from forum.api.idempotency import HEADER, KEY_PATTERN, WRITE_METHODS, IdempotentWritesMixin
from forum.api.permissions import HasPersonalToken


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="HTTPステータスコード")
    code = serializers.CharField(
        help_text="機械向けのエラーコード（invalid, not_found, throttled など）"
    )
    message = serializers.CharField(
        help_text="利用者向けのメッセージ（日本語。英語表示の設定時は英語）"
    )
    details = serializers.JSONField(
        required=False, help_text="項目ごとのエラー（入力エラーのとき）"
    )


class ErrorSerializer(serializers.Serializer):
    """The envelope of every error response."""

    error = ErrorDetailSerializer()


READ_ERRORS = ("400", "401", "404", "406", "429")
WRITE_ERRORS = ("400", "401", "403", "404", "406", "409", "415", "429")
IDEMPOTENT_WRITE_ERRORS = (*WRITE_ERRORS, "422")

IDEMPOTENCY_KEY = OpenApiParameter(
    name=HEADER,
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    pattern=KEY_PATTERN,
    description=(
        "任意。再送しても二重に登録されないよう、書き込みごとに一意の値（UUIDなど）を付けます。"
        "24時間以内に同じキーと同じ内容で送り直すと、最初の応答（ステータス・本文）がそのまま返り、"
        "`Idempotent-Replayed: true` が付きます。同じキーで内容が違うと422、"
        "最初のリクエストがまだ処理中なら409です。キーはトークンの持ち主ごとに区別されます。"
    ),
)


class ForumAutoSchema(AutoSchema):
    """drf-spectacular's schema with the views' own parameters, Japanese texts and errors.

    A view names its query parameters per action in ``parameters`` (the same serializers
    that validate the request) and its documentation in ``docs``: a summary line, then
    an optional description.
    """

    def _action(self) -> str | None:
        return getattr(self.view, "action", None)

    def _idempotent_write(self) -> bool:
        return self.method in WRITE_METHODS and isinstance(self.view, IdempotentWritesMixin)

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._idempotent_write():
            parameters.append(IDEMPOTENCY_KEY)
        per_action = getattr(self.view, "parameters", None)
        if isinstance(per_action, dict) and self._action() in per_action:
            declared = per_action[self._action()]
            if declared().fields:
                parameters.append(declared)
        return parameters

    def _doc(self) -> tuple[str | None, str]:
        text = getattr(self.view, "docs", {}).get(self._action())
        if not text:
            return None, ""
        summary, _, description = text.partition("\n")
        return summary.strip(), description.strip()

    def get_summary(self):
        return self._doc()[0]

    def get_description(self):
        return self._doc()[1]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        member = any(
            issubclass(permission, HasPersonalToken)
            for permission in getattr(self.view, "permission_classes", [])
        )
        codes = WRITE_ERRORS if member or self.method not in ("GET", "HEAD") else READ_ERRORS
        if self._idempotent_write():
            codes = IDEMPOTENT_WRITE_ERRORS
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ErrorSerializer, code, direction=direction
                )
        return responses


def only_api_v1(endpoints):
    """Document the forum's API only, not Wagtail's admin API that shares the URL tree."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


def forbid_unknown_request_fields(result, generator, request, public):
    """Request bodies refuse fields they do not declare; say so in the schema."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result
