"""The admin's translation report: 「英語版の状況」, the pages and case studies to translate.

A Wagtail report view over cms.selectors.english_version_list. The rows are worked out in
Python (a draft's English lives in its latest revision, not in the page's columns), so the
type and state filters are applied to the list here rather than by the filter set on a query.
"""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

import django_filters

from cms.selectors import ENGLISH_STATES, TRANSLATED_KINDS, english_version_list


class EnglishVersionsFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("種類"),
        choices=[(kind, label) for kind, (label, _model) in TRANSLATED_KINDS.items()],
        empty_label=_("すべて"),
        method="by_nothing",
    )
    state = django_filters.ChoiceFilter(
        label=_("状況"),
        choices=list(ENGLISH_STATES.items()),
        empty_label=_("すべて"),
        method="by_nothing",
    )

    class Meta:
        model = Page
        fields = []

    def by_nothing(self, queryset, name, value):
        return queryset  # the view filters its list of rows (see the module's docstring)


class EnglishVersionsReportView(ReportView):
    """Pages (challenges, news, events, standard pages) the user may edit and the secretariat's
    case studies whose English version is missing or older than the Japanese, each linked to
    its editor."""

    page_title = _("英語版の状況")
    header_icon = "site"
    index_url_name = "cms_english_versions"
    index_results_url_name = "cms_english_versions_results"
    filterset_class = EnglishVersionsFilterSet
    permission_policy = PagePermissionPolicy()
    any_permission_required = ["add", "change", "publish"]
    paginate_by = 50
    columns = [
        TitleColumn("title", label=_("タイトル"), get_url=lambda row: row.edit_url),
        Column("kind_label", label=_("種類")),
        Column("state_label", label=_("英語版")),
        DateColumn("japanese_changed_at", label=_("日本語の更新")),
        DateColumn("english_changed_at", label=_("英語版の更新")),
    ]

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "queryset": Page.objects.none()}

    def get_queryset(self):
        return self.filter_queryset(english_version_list(self.request.user))

    def filter_queryset(self, rows):
        if not (self.filters and self.filters.is_valid()):
            return rows
        chosen = self.filters.form.cleaned_data
        for name in ("kind", "state"):
            if chosen.get(name):
                rows = [row for row in rows if getattr(row, name) == chosen[name]]
        return rows

    def get_filtered_queryset(self):
        return self.get_queryset()
