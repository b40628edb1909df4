from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from forum.selectors.roles import user_is_secretariat
from matching.admin_views import matching_feedback_download, matching_status
from matching.models import SuggestionFeedback
from matching.viewsets import MatchingViewSetGroup, SecretariatReadOnlyPolicy

# Registered before any admin code asks for the model's policy.
register_permission_policy(SuggestionFeedback, SecretariatReadOnlyPolicy(SuggestionFeedback))


@hooks.register("register_admin_viewset")
def register_matching_viewsets():
    return MatchingViewSetGroup()


@hooks.register("register_admin_urls")
def register_matching_status_urls():
    return [
        path("matching/status/", matching_status, name="matching_status"),
        path(
            "matching/status/feedback.json",
            matching_feedback_download,
            name="matching_feedback_download",
        ),
    ]


class SecretariatMenuItem(MenuItem):
    """Shown to the secretariat only."""

    def is_shown(self, request):
        return user_is_secretariat(request.user)


@hooks.register("register_admin_menu_item")
def register_matching_status_menu_item():
    return SecretariatMenuItem(
        _("マッチングの状況"), reverse("matching_status"), icon_name="resubmit", order=161
    )
