"""Organisations, memberships, join requests and invitations in the admin."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy

from forum.forms.organisations import RejectionForm
from forum.models import (
    AuditEvent,
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
)
from forum.selectors.roles import user_is_secretariat
from forum.services.errors import ServiceError
from forum.services.joining import (
    invitation_delete,
    invitation_update,
    join_request_delete,
    join_request_update,
)
from forum.services.memberships import membership_create, membership_delete, membership_update
from forum.services.organisations import (
    ORGANISATION_DETAILS,
    organisation_approve,
    organisation_delete,
    organisation_register,
    organisation_reject,
    organisation_update,
)
from forum.viewsets.base import ServiceCreateView, ServiceDeleteView, ServiceEditView


def _details(data: dict) -> dict:
    return {key: data[key] for key in ORGANISATION_DETAILS}


class OrganisationCreateView(ServiceCreateView):
    """A new organisation registered by the secretariat awaits review like an application."""

    def save_with_service(self, data):
        return organisation_register(actor=self.request.user, **_details(data))


class OrganisationEditView(ServiceEditView):
    """Edits reach the search index, the municipality's place and the members' groups; a
    pending organisation's edit screen offers the approval at its top."""

    template_name = "forum/admin/organisation_edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_review"] = user_is_secretariat(self.request.user)
        return context

    def save_with_service(self, data):
        return organisation_update(
            actor=self.request.user, organisation=self.object, **_details(data)
        )


class OrganisationDeleteView(ServiceDeleteView):
    def delete_with_service(self, instance):
        organisation_delete(actor=self.request.user, organisation=instance)


class ReviewColumn(Column):
    """The list's visible review buttons: approve in one click, or open the review screen."""

    cell_template_name = "forum/admin/organisation_review_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        # The cell is rendered from a plain dict: the form's token is passed by hand.
        context["csrf_token"] = get_token(request) if request else ""
        context["can_review"] = bool(request) and user_is_secretariat(request.user)
        return context


class OrganisationIndexView(IndexView):
    """The organisation list, with review buttons on organisations awaiting approval."""

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == Organisation.Status.PENDING:
            buttons.insert(
                0,
                MenuItem(
                    _("審査する"),
                    url=reverse("forum_organisation:review", args=[instance.pk]),
                    icon_name="tick",
                    priority=5,
                ),
            )
        return buttons


class OrganisationViewSet(ModelViewSet):
    """Organisations: review applications, edit details. Status changes only through review."""

    model = Organisation
    icon = "group"
    menu_label = gettext_lazy("会員団体")
    url_prefix = "forum/organisations"
    name = "forum_organisation"
    index_view_class = OrganisationIndexView
    add_view_class = OrganisationCreateView
    edit_view_class = OrganisationEditView
    delete_view_class = OrganisationDeleteView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "name",
        Column("kind", label=gettext_lazy("種別"), accessor="get_kind_display"),
        StatusTagColumn(
            "status",
            label=gettext_lazy("審査状況"),
            accessor="get_status_display",
            primary=lambda o: o.status == Organisation.Status.APPROVED,
        ),
        DateColumn("created_at", label=gettext_lazy("申請日時")),
        ReviewColumn("review", label=gettext_lazy("審査")),
    ]
    list_filter = ["status", "kind"]
    search_fields = ["name", "name_kana", "name_normalised"]
    search_backend_name = None
    ordering = ["-created_at"]
    form_fields = list(ORGANISATION_DETAILS)
    inspect_view_fields = [
        "name",
        "name_kana",
        "kind",
        "status",
        "municipality",
        "website",
        "address",
        "size",
        "description",
        "created_by",
        "created_at",
        "reviewed_by",
        "reviewed_at",
        "rejection_reason",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("review/<int:pk>/", self.review_view, name="review"),
        ]

    def _next_url(self, request) -> str:
        """Back where the approval was clicked (the list, the edit screen, the home), else the list."""
        wanted = request.POST.get("next", "")
        if wanted and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return wanted
        return reverse(self.get_url_name("index"))

    def _approve(self, request, organisation) -> None:
        if organisation_approve(actor=request.user, organisation=organisation):
            messages.success(
                request, _("「%(name)s」を承認しました。") % {"name": organisation.name}
            )
        else:
            messages.info(
                request, _("「%(name)s」はすでに承認されています。") % {"name": organisation.name}
            )

    def review_view(self, request, pk: int):
        """Approve, or reject with a reason, one application."""
        if not user_is_secretariat(request.user):
            raise PermissionDenied
        organisation = get_object_or_404(
            Organisation.objects.select_related("municipality", "created_by"), pk=pk
        )
        form = RejectionForm(request.POST if request.POST.get("action") == "reject" else None)
        if request.method == "POST":
            action = request.POST.get("action")
            try:
                if action == "approve":
                    self._approve(request, organisation)
                    return redirect(self._next_url(request))
                if action == "reject" and form.is_valid():
                    if organisation_reject(
                        actor=request.user,
                        organisation=organisation,
                        reason=form.cleaned_data["reason"],
                    ):
                        messages.success(
                            request, _("「%(name)s」を却下しました。") % {"name": organisation.name}
                        )
                    else:
                        messages.info(
                            request,
                            _("「%(name)s」はすでに却下されています。")
                            % {"name": organisation.name},
                        )
                    return redirect(self.get_url_name("index"))
            except ServiceError as error:
                messages.error(request, error.message)
                return redirect(self.get_url_name("index"))
        history = AuditEvent.objects.filter(
            target_type="forum.organisation", target_id=organisation.pk
        ).select_related("actor")[:20]
        return TemplateResponse(
            request,
            "forum/admin/organisation_review.html",
            {
                "organisation": organisation,
                "members": organisation.memberships.select_related("user"),
                "form": form,
                "history": history,
                "index_url": reverse(self.get_url_name("index")),
                "header_title": _("団体の審査: %(name)s") % {"name": organisation.name},
            },
        )


class MembershipCreateView(ServiceCreateView):
    def save_with_service(self, data):
        return membership_create(
            actor=self.request.user,
            user=data["user"],
            organisation=data["organisation"],
            role=data["role"],
        )


class MembershipEditView(ServiceEditView):
    def save_with_service(self, data):
        return membership_update(
            actor=self.request.user,
            membership=self.object,
            user=data["user"],
            organisation=data["organisation"],
            role=data["role"],
        )


class MembershipDeleteView(ServiceDeleteView):
    def delete_with_service(self, instance):
        membership_delete(actor=self.request.user, membership=instance)


class MembershipViewSet(ModelViewSet):
    """Memberships, saved through the membership services so the admin groups follow."""

    model = Membership
    icon = "user"
    menu_label = gettext_lazy("所属")
    url_prefix = "forum/memberships"
    name = "forum_membership"
    add_view_class = MembershipCreateView
    edit_view_class = MembershipEditView
    delete_view_class = MembershipDeleteView
    copy_view_enabled = False
    list_display = [
        "user",
        "organisation",
        Column("role", label=gettext_lazy("役割"), accessor="get_role_display"),
    ]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__email", "user__display_name", "organisation__name"]
    search_backend_name = None
    form_fields = ["user", "organisation", "role"]


class MemberAreaCreatesPolicy(ModelPermissionPolicy):
    """Rows only the member area creates (join requests, invitations): the admin may view,
    correct and delete them, never add one (its form could not say who asks or invites)."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "add"])


class JoinRequestEditView(ServiceEditView):
    def save_with_service(self, data):
        return join_request_update(
            actor=self.request.user, join_request=self.object, message=data["message"]
        )


class JoinRequestDeleteView(ServiceDeleteView):
    def delete_with_service(self, instance):
        join_request_delete(actor=self.request.user, join_request=instance)


class JoinRequestViewSet(ModelViewSet):
    """Join requests as the secretariat sees them; people ask and admins decide in the member area."""

    model = JoinRequest
    icon = "mail"
    menu_label = gettext_lazy("参加申請")
    url_prefix = "forum/join-requests"
    name = "forum_joinrequest"
    edit_view_class = JoinRequestEditView
    delete_view_class = JoinRequestDeleteView
    copy_view_enabled = False
    list_display = [
        "user",
        "organisation",
        Column("status", label=gettext_lazy("状況"), accessor="get_status_display"),
        DateColumn("created_at", label=gettext_lazy("申請日時")),
    ]
    list_filter = ["status"]
    search_fields = ["user__email", "organisation__name"]
    search_backend_name = None
    form_fields = ["message"]


class InvitationEditView(ServiceEditView):
    def save_with_service(self, data):
        return invitation_update(
            actor=self.request.user, invitation=self.object, expires_at=data["expires_at"]
        )


class InvitationDeleteView(ServiceDeleteView):
    def delete_with_service(self, instance):
        invitation_delete(actor=self.request.user, invitation=instance)


class InvitationViewSet(ModelViewSet):
    """Invitations as the secretariat sees them: extend or shorten one, or delete it."""

    model = Invitation
    icon = "mail"
    menu_label = gettext_lazy("招待")
    url_prefix = "forum/invitations"
    name = "forum_invitation"
    edit_view_class = InvitationEditView
    delete_view_class = InvitationDeleteView
    copy_view_enabled = False
    list_display = [
        "email",
        "organisation",
        DateColumn("created_at", label=gettext_lazy("招待日時")),
        DateColumn("expires_at", label=gettext_lazy("有効期限")),
        DateColumn("accepted_at", label=gettext_lazy("受諾日時")),
    ]
    search_fields = ["email", "organisation__name"]
    search_backend_name = None
    form_fields = ["expires_at"]
