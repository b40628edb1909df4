"""Residents' published needs as open data: never who sent them."""

from django.urls import reverse

from rest_framework import serializers

from forum.api.serializers.common import absolute_url
from forum.api.serializers.reference import FieldRefSerializer, MunicipalityRefSerializer
from forum.models import Need


class NeedSerializer(serializers.ModelSerializer):
    """A published need (地域の困りごと), its support and whether it became a challenge."""

    municipality = MunicipalityRefSerializer()
    field = FieldRefSerializer()
    support_count = serializers.IntegerField(help_text="住民の応援（私も困っています）の数")
    became_challenge = serializers.SerializerMethodField(help_text="課題づくりが始まったか")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Need
        fields = [
            "id",
            "title",
            "description",
            "place_name",
            "municipality",
            "field",
            "support_count",
            "became_challenge",
            "published_at",
            "url",
        ]

    def get_became_challenge(self, obj) -> bool:
        return obj.challenge_page_id is not None

    def get_url(self, obj) -> str:
        return absolute_url(reverse("residents:need_detail", args=[obj.pk]))
