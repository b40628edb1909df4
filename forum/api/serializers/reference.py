"""Reference data: fields, municipalities and technologies, in full and as references."""

from rest_framework import serializers

from forum.api.fields import CodedValueField
from forum.models import Field, Municipality, Technology


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
