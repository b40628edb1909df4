"""Calls for proposals in the admin: the secretariat's and each municipality's own."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy

from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from forum.models import (
    Call,
)
from forum.selectors.calls import call_list_manageable, organisation_list_runnable_by
from forum.selectors.roles import user_is_municipality_staff, user_is_secretariat
from forum.services.calls import CALL_FIELDS, call_create, call_delete, call_update
from forum.viewsets.base import (
    ServiceCreateView,
    ServiceDeleteView,
    ServiceEditView,
    boolean_column,
)


class CallPolicy(ModelPermissionPolicy):
    """Calls: the secretariat manages every call, municipality staff their municipality's.

    The services check the same rule (forum.selectors.calls.call_list_manageable)."""

    def user_has_permission(self, user, action):
        if not user.is_authenticated or not user.is_active:
            return False
        return user_is_secretariat(user) or user_is_municipality_staff(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return call_list_manageable(user).filter(pk=instance.pk).exists()

    def instances_user_has_permission_for(self, user, action):
        return call_list_manageable(user)

    def users_with_any_permission(self, actions):
        return (
            get_user_model()
            .objects.filter(
                is_active=True,
                memberships__organisation__kind__in=["secretariat", "municipality"],
                memberships__organisation__status="approved",
            )
            .distinct()
        )


class CallObjectMixin:
    """Only a call the user manages opens for editing or deleting."""

    def get_object(self, queryset=None):
        call = super().get_object(queryset)
        if not call_list_manageable(self.request.user).filter(pk=call.pk).exists():
            raise PermissionDenied
        return call


class CallFormMixin:
    """The organisation that runs the call is chosen among those the user may act for."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        form.fields["organisation"].queryset = organisation_list_runnable_by(self.request.user)
        return form


def _call_values(data: dict) -> dict:
    return {name: data.get(name) for name in CALL_FIELDS}


class CallCreateView(CallFormMixin, ServiceCreateView):
    def save_with_service(self, data):
        return call_create(
            actor=self.request.user, organisation=data["organisation"], **_call_values(data)
        )


class CallEditView(CallObjectMixin, CallFormMixin, ServiceEditView):
    def save_with_service(self, data):
        return call_update(
            actor=self.request.user,
            call=self.object,
            organisation=data["organisation"],
            **_call_values(data),
        )


class CallDeleteView(CallObjectMixin, ServiceDeleteView):
    def delete_with_service(self, instance):
        call_delete(actor=self.request.user, call=instance)


class CallIndexView(IndexView):
    """Only the calls the user manages."""

    def get_base_queryset(self):
        return call_list_manageable(self.request.user).select_related("organisation")


class CallViewSet(ModelViewSet):
    """Calls (募集回): forum-wide ones by the secretariat, a municipality's own by its staff."""

    model = Call
    icon = "date"
    menu_label = gettext_lazy("募集回")
    url_prefix = "forum/calls"
    name = "forum_call"
    index_view_class = CallIndexView
    add_view_class = CallCreateView
    edit_view_class = CallEditView
    delete_view_class = CallDeleteView
    copy_view_enabled = False
    list_display = [
        "title_ja",
        "organisation",
        "intake_opens_on",
        "intake_closes_on",
        boolean_column(Call, "is_published"),
    ]
    search_fields = ["title_ja", "title_en", "slug"]
    search_backend_name = None
    form_fields = ["organisation", *CALL_FIELDS]
    ordering = ["-intake_opens_on"]
