"""Strategy tags as the API shows them on challenges and projects."""

from rest_framework import serializers

from forum.models import CatalogDataset, SdgGoal, ThemeTagging


class SdgSerializer(serializers.ModelSerializer):
    """One of the 17 SDGs."""

    name = serializers.CharField(help_text="目標の名称（要求の言語）")

    class Meta:
        model = SdgGoal
        fields = ["number", "name"]


class ThemeTaggingSerializer(serializers.ModelSerializer):
    """A strategy theme with the regulatory relief it needs here (empty when none)."""

    slug = serializers.CharField(source="theme.slug", help_text="戦略テーマのスラッグ")
    name = serializers.CharField(source="theme.name", help_text="戦略テーマの名称（要求の言語）")

    class Meta:
        model = ThemeTagging
        fields = ["slug", "name", "regulatory_relief"]


class DatasetRefSerializer(serializers.ModelSerializer):
    """A dataset of the catalogue (/opendata/catalog.jsonld) that a challenge or project uses."""

    name = serializers.CharField(help_text="データセットの名称（要求の言語）")

    class Meta:
        model = CatalogDataset
        fields = ["slug", "name", "publisher", "url"]
