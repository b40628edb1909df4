"""Wagtail admin screens of the matching layer, for the secretariat."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy

from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy

from forum.selectors.notifications import user_list_secretariat
from forum.selectors.roles import user_is_secretariat
from matching.models import SuggestionFeedback


class SecretariatReadOnlyPolicy(BasePermissionPolicy):
    """The secretariat may view; nobody adds, edits or deletes votes in the admin.

    Votes are written only through matching.services by the people who cast them.
    """

    def user_has_permission(self, user, action):
        return action == "view" and user_is_secretariat(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and user_is_secretariat(user)

    def users_with_any_permission(self, actions):
        if "view" in actions:
            return user_list_secretariat()
        return get_user_model().objects.none()


class SuggestionFeedbackIndexView(IndexView):
    """The listing reads both sides and the voter of every row in the same query."""

    queryset = SuggestionFeedback.objects.select_related("challenge", "solution", "user")


class SuggestionFeedbackViewSet(ModelViewSet):
    """Every vote on a suggested pairing, newest first, filterable by verdict."""

    model = SuggestionFeedback
    icon = "comment"
    menu_label = gettext_lazy("候補への評価")
    url_prefix = "matching/feedback"
    name = "matching_suggestionfeedback"
    index_view_class = SuggestionFeedbackIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        Column("challenge", label=gettext_lazy("課題")),
        Column("solution", label=gettext_lazy("ソリューション")),
        Column("verdict", label=gettext_lazy("評価"), accessor="verdict"),
        Column("user", label=gettext_lazy("評価した人")),
        DateColumn("updated_at", label=gettext_lazy("更新日時")),
    ]
    list_filter = ["useful"]
    search_fields = ["challenge__title", "solution__title", "user__email"]
    search_backend_name = None
    ordering = ["-updated_at"]
    form_fields = ["useful"]
    inspect_view_fields = ["challenge", "solution", "useful", "user", "created_at", "updated_at"]


class MatchingViewSetGroup(ViewSetGroup):
    """One admin menu for what people said about matching."""

    menu_label = gettext_lazy("マッチング")
    menu_icon = "resubmit"
    menu_order = 160
    items = (SuggestionFeedbackViewSet,)
