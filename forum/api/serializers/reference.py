"""Reference data: fields, municipalities and technologies, in full and as references."""

from rest_framework import serializers

from forum.api.fields import CodedValueField
from forum.models import Department, Field, Municipality, Technology


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


class DepartmentRefSerializer(serializers.ModelSerializer):
    """The department (所属・局) that owns a challenge or a project; its page is
    /departments/<slug>/."""

    name = serializers.CharField(source="display_name", help_text="所属名（要求の言語）")
    organisation = serializers.CharField(source="organisation.name", help_text="団体名")

    class Meta:
        model = Department
        fields = ["slug", "name", "organisation"]


class TechnologySerializer(serializers.ModelSerializer):
    class Meta:
        model = Technology
        fields = ["id", "slug", "name_ja", "name_en"]
