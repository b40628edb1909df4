"""Reference data: the forum's fields, Osaka's municipalities and the technology vocabulary."""

from forum.api import filters
from forum.api.serializers.reference import (
    FieldSerializer,
    MunicipalitySerializer,
    TechnologySerializer,
)
from forum.api.views.base import PublicReadViewSet
from forum.selectors.reference import field_list, municipality_list, technology_list


class FieldViewSet(PublicReadViewSet):
    """The forum's fields (分野)."""

    serializer_class = FieldSerializer
    parameters = {"list": filters.ReferenceParameters}
    docs = {"list": "分野の一覧", "retrieve": "分野"}

    def detail_queryset(self):
        return field_list()


class MunicipalityViewSet(PublicReadViewSet):
    """Osaka Prefecture and its 43 municipalities."""

    serializer_class = MunicipalitySerializer
    parameters = {"list": filters.ReferenceParameters}
    docs = {"list": "大阪府と府内市町村の一覧", "retrieve": "市町村"}

    def detail_queryset(self):
        return municipality_list()


class TechnologyViewSet(PublicReadViewSet):
    """The technology vocabulary."""

    serializer_class = TechnologySerializer
    parameters = {"list": filters.ReferenceParameters}
    docs = {"list": "技術の一覧", "retrieve": "技術"}

    def detail_queryset(self):
        return technology_list()
