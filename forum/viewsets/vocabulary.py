"""The shared vocabulary in the admin: fields, technologies, municipalities, strategy themes
and catalogue datasets."""

from django.utils.translation import gettext_lazy

from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import CopyViewMixin
from wagtail.admin.viewsets.model import ModelViewSet

from forum.models import (
    CatalogDataset,
    Field,
    Municipality,
    StrategyTheme,
    Technology,
)
from forum.services.datasets import dataset_save
from forum.services.reference import (
    field_delete,
    field_save,
    municipality_update,
    technology_delete,
    technology_save,
)
from forum.services.tags import strategy_theme_save
from forum.viewsets.base import (
    ServiceCreateView,
    ServiceDeleteView,
    ServiceEditView,
    boolean_column,
)


class FieldCreateView(ServiceCreateView):
    def save_with_service(self, data):
        return field_save(actor=self.request.user, **data)


class FieldCopyView(CopyViewMixin, FieldCreateView):
    pass


class FieldEditView(ServiceEditView):
    def save_with_service(self, data):
        return field_save(actor=self.request.user, field=self.object, **data)


class FieldDeleteView(ServiceDeleteView):
    def delete_with_service(self, instance):
        field_delete(actor=self.request.user, field=instance)


class FieldViewSet(ModelViewSet):
    """The forum's fields; a changed slug reaches the search index."""

    model = Field
    icon = "tag"
    menu_label = gettext_lazy("分野")
    url_prefix = "forum/fields"
    name = "forum_field"
    add_view_class = FieldCreateView
    copy_view_class = FieldCopyView
    edit_view_class = FieldEditView
    delete_view_class = FieldDeleteView
    list_display = ["name_ja", "name_en", "slug", "sort_order", boolean_column(Field, "is_active")]
    form_fields = ["name_ja", "name_en", "slug", "description", "sort_order", "is_active"]
    ordering = ["sort_order"]


class TechnologyCreateView(ServiceCreateView):
    def save_with_service(self, data):
        return technology_save(actor=self.request.user, **data)


class TechnologyCopyView(CopyViewMixin, TechnologyCreateView):
    pass


class TechnologyEditView(ServiceEditView):
    def save_with_service(self, data):
        return technology_save(actor=self.request.user, technology=self.object, **data)


class TechnologyDeleteView(ServiceDeleteView):
    def delete_with_service(self, instance):
        technology_delete(actor=self.request.user, technology=instance)


class TechnologyViewSet(ModelViewSet):
    """The technology vocabulary; a changed name reaches the search index."""

    model = Technology
    icon = "cogs"
    menu_label = gettext_lazy("技術")
    url_prefix = "forum/technologies"
    name = "forum_technology"
    add_view_class = TechnologyCreateView
    copy_view_class = TechnologyCopyView
    edit_view_class = TechnologyEditView
    delete_view_class = TechnologyDeleteView
    list_display = ["name_ja", "name_en", "slug"]
    search_fields = ["name_ja", "name_en", "slug"]
    search_backend_name = None
    form_fields = ["name_ja", "name_en", "slug"]


class MunicipalityEditView(ServiceEditView):
    def save_with_service(self, data):
        return municipality_update(
            actor=self.request.user, municipality=self.object, name_en=data["name_en"]
        )


class MunicipalityViewSet(ModelViewSet):
    """The official list of public bodies: viewable here, maintained by the reference loader."""

    model = Municipality
    icon = "site"
    menu_label = gettext_lazy("市町村")
    url_prefix = "forum/municipalities"
    name = "forum_municipality"
    edit_view_class = MunicipalityEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "code",
        "name",
        "name_kana",
        "name_en",
        Column("kind", label=gettext_lazy("種別"), accessor="get_kind_display"),
    ]
    list_filter = ["kind"]
    search_fields = ["code", "name", "name_kana", "name_en"]
    search_backend_name = None
    form_fields = ["name_en"]
    ordering = ["code"]


class StrategyThemeCreateView(ServiceCreateView):
    def save_with_service(self, data):
        return strategy_theme_save(actor=self.request.user, **data)


class StrategyThemeEditView(ServiceEditView):
    def save_with_service(self, data):
        return strategy_theme_save(actor=self.request.user, theme=self.object, **data)


class StrategyThemeViewSet(ModelViewSet):
    """The strategy themes the secretariat keeps; retired ones stay on what they tag."""

    model = StrategyTheme
    icon = "tag"
    menu_label = gettext_lazy("戦略テーマ")
    url_prefix = "forum/themes"
    name = "forum_strategy_theme"
    add_view_class = StrategyThemeCreateView
    edit_view_class = StrategyThemeEditView
    list_display = [
        "name_ja",
        "name_en",
        "slug",
        boolean_column(StrategyTheme, "asks_regulatory_relief"),
        boolean_column(StrategyTheme, "is_active"),
    ]
    form_fields = [
        "name_ja",
        "name_en",
        "slug",
        "description",
        "asks_regulatory_relief",
        "sort_order",
        "is_active",
    ]
    ordering = ["sort_order"]


class CatalogDatasetCreateView(ServiceCreateView):
    def save_with_service(self, data):
        return dataset_save(actor=self.request.user, **data)


class CatalogDatasetEditView(ServiceEditView):
    def save_with_service(self, data):
        return dataset_save(actor=self.request.user, dataset=self.object, **data)


class CatalogDatasetViewSet(ModelViewSet):
    """The data catalogue (ORDEN, the prefecture's open data …) published on /opendata/."""

    model = CatalogDataset
    icon = "table"
    menu_label = gettext_lazy("データカタログ")
    url_prefix = "forum/datasets"
    name = "forum_dataset"
    add_view_class = CatalogDatasetCreateView
    edit_view_class = CatalogDatasetEditView
    list_display = [
        "name_ja",
        "publisher",
        "licence",
        "formats",
        boolean_column(CatalogDataset, "is_active"),
    ]
    search_fields = ["name_ja", "name_en", "publisher"]
    search_backend_name = None
    form_fields = [
        "name_ja",
        "name_en",
        "slug",
        "description",
        "publisher",
        "url",
        "licence",
        "licence_url",
        "formats",
        "is_active",
    ]
