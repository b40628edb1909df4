"""Departments and the responsible department of each challenge in the admin."""

from django.utils.translation import gettext_lazy

from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from forum.models import (
    Challenge,
    Department,
)
from forum.services.departments import (
    challenge_owner_set,
    department_delete,
    department_save,
)
from forum.viewsets.base import ServiceCreateView, ServiceDeleteView, ServiceEditView


class DepartmentCreateView(ServiceCreateView):
    def save_with_service(self, data):
        return department_save(actor=self.request.user, **data)


class DepartmentEditView(ServiceEditView):
    def save_with_service(self, data):
        return department_save(actor=self.request.user, department=self.object, **data)


class DepartmentDeleteView(ServiceDeleteView):
    def delete_with_service(self, instance):
        department_delete(actor=self.request.user, department=instance)


class DepartmentViewSet(ModelViewSet):
    """Departments (所属・局) of municipality organisations and the prefecture, with their staff."""

    model = Department
    icon = "group"
    menu_label = gettext_lazy("所属・局")
    url_prefix = "forum/departments"
    name = "forum_department"
    add_view_class = DepartmentCreateView
    edit_view_class = DepartmentEditView
    delete_view_class = DepartmentDeleteView
    copy_view_enabled = False
    list_display = ["name", "organisation", "slug", "sort_order"]
    list_filter = ["organisation"]
    search_fields = ["name", "name_en", "slug", "organisation__name"]
    search_backend_name = None
    form_fields = ["organisation", "name", "name_en", "slug", "sort_order", "staff"]
    ordering = ["organisation__name", "sort_order"]


class ChallengeOwnerEditView(ServiceEditView):
    """Names the responsible user; the department and the post stay those of the page."""

    def save_with_service(self, data):
        challenge = self.object
        return challenge_owner_set(
            actor=self.request.user,
            challenge=challenge,
            department=challenge.department,
            responsible_post=challenge.responsible_post,
            responsible_user=data["responsible_user"],
        )


class EditOnlyPolicy(ModelPermissionPolicy):
    """Rows another part of the platform creates and deletes (challenges come from their pages):
    the admin may only edit what this screen offers."""

    def user_has_permission(self, user, action):
        return action not in ("add", "delete") and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in ("add", "delete")])


class ChallengeOwnerViewSet(ModelViewSet):
    """The owners (担当所属・責任者) of published challenges at a glance. The department and
    the responsible post are written in the challenge page's editor and copied here on
    publishing (an edit here would be overwritten then), so only the responsible user is
    edited on this screen."""

    model = Challenge
    icon = "help"
    menu_label = gettext_lazy("課題の担当所属")
    url_prefix = "forum/challenge-owners"
    name = "forum_challenge_owner"
    edit_view_class = ChallengeOwnerEditView
    copy_view_enabled = False
    list_display = ["title", "municipality", "department", "responsible_post"]
    list_filter = ["department"]
    search_fields = ["title", "responsible_post"]
    search_backend_name = None
    form_fields = ["responsible_user"]
    ordering = ["-published_at"]
