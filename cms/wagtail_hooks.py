"""Wagtail hooks of the CMS: registrations only, the rules live in their own modules."""

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.admin_home import challenges_in_moderation_panel
from cms.file_access import FileAccess, file_access
from cms.reports import EnglishVersionsReportView
from forum.selectors.roles import user_is_secretariat


@hooks.register("before_serve_document")
def on_before_serve_document(document, request):
    """A document that is not public reaches only its editors; to anyone else it does not exist."""
    if file_access(request.user, document) is FileAccess.NONE:
        raise Http404


@hooks.register("construct_homepage_panels")
def add_moderation_panel(request, panels):
    """The challenges waiting for the secretariat's review (its panel is empty for others)."""
    if user_is_secretariat(request.user):
        panels.append(challenges_in_moderation_panel(request.user))


@hooks.register("register_admin_urls")
def register_english_versions_report():
    """The translation report and its results fragment (filters reload only the results)."""
    return [
        path(
            "reports/english-versions/",
            EnglishVersionsReportView.as_view(),
            name="cms_english_versions",
        ),
        path(
            "reports/english-versions/results/",
            EnglishVersionsReportView.as_view(results_only=True),
            name="cms_english_versions_results",
        ),
    ]


class EnglishVersionsMenuItem(MenuItem):
    def is_shown(self, request):
        return PagePermissionPolicy().user_has_any_permission(
            request.user, ["add", "change", "publish"]
        )


@hooks.register("register_reports_menu_item")
def register_english_versions_menu_item():
    return EnglishVersionsMenuItem(
        _("英語版の状況"),
        reverse("cms_english_versions"),
        name="english-versions",
        icon_name="site",
        order=650,
    )
