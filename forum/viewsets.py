"""Wagtail admin screens through which the secretariat manages the forum's members."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.views.generic.models import CopyViewMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import MenuItem
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy

from forum.forms.organisations import RejectionForm
from forum.models import (
    AuditEvent,
    Call,
    CatalogDataset,
    Challenge,
    Department,
    Field,
    Invitation,
    JoinRequest,
    Membership,
    Municipality,
    Organisation,
    Project,
    StrategyTheme,
    Technology,
)
from forum.selectors.calls import call_list_manageable, organisation_list_runnable_by
from forum.selectors.roles import user_is_municipality_staff, user_is_secretariat
from forum.services.calls import CALL_FIELDS, call_create, call_delete, call_update
from forum.services.datasets import dataset_save
from forum.services.departments import (
    challenge_owner_set,
    department_delete,
    department_save,
    project_owner_set,
)
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
from forum.services.projects.lifecycle import project_publication_update
from forum.services.reference import (
    field_delete,
    field_save,
    municipality_update,
    technology_delete,
    technology_save,
)
from forum.services.tags import strategy_theme_save


class ServiceSaveMixin:
    """A create or edit screen that saves through a forum service instead of the model form.

    The service checks the rules, records the audit row and tells the index and the groups;
    the form only checks the shape. Wagtail's own history entry is kept for the admin.
    """

    log_action = "wagtail.edit"

    def save_with_service(self, data: dict):
        """Call the service with the form's cleaned data; return the saved object."""
        raise NotImplementedError

    def save_instance(self):
        instance = self.save_with_service(self.form.cleaned_data)
        log(
            instance=instance,
            action=self.log_action,
            user=self.request.user,
            content_changed=self.form.has_changed(),
        )
        return instance

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ServiceError as error:
            form.add_error(None, error.message)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class ServiceCreateView(ServiceSaveMixin, CreateView):
    log_action = "wagtail.create"


class ServiceEditView(ServiceSaveMixin, EditView):
    log_action = "wagtail.edit"


class ServiceDeleteView(DeleteView):
    """A delete screen that deletes through a forum service, keeping Wagtail's history entry."""

    def delete_with_service(self, instance) -> None:
        """Call the service that deletes ``instance``."""
        raise NotImplementedError

    def delete_action(self):
        with transaction.atomic():
            log(instance=self.object, action="wagtail.delete", user=self.request.user, deleted=True)
            self.delete_with_service(self.object)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ServiceError as error:
            messages.error(self.request, error.message)
            return redirect(self.get_success_url())


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
    list_display = ["name_ja", "name_en", "slug", "sort_order", "is_active"]
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


def _owner(data: dict) -> dict:
    return {key: data[key] for key in ("department", "responsible_post", "responsible_user")}


class ProjectEditView(ServiceEditView):
    """Saves through project_publication_update and project_owner_set, so the rules and the
    audit rows are the services'."""

    def save_with_service(self, data):
        with transaction.atomic():
            project = project_publication_update(
                actor=self.request.user,
                project=self.object,
                is_public=data["is_public"],
                case_study=data["case_study"],
                case_study_en=data["case_study_en"],
                title_en=data["title_en"],
            )
            return project_owner_set(actor=self.request.user, project=project, **_owner(data))


class ProjectIndexView(IndexView):
    """The listing reads each project's field in the same query."""

    queryset = Project.objects.select_related("field")


class ProjectViewSet(ModelViewSet):
    """Projects as the secretariat curates them for the public: the flag and the case study.

    Projects are opened and moved through their stages in the member area, where the services
    check who may do what; here only the publication is edited.
    """

    model = Project
    icon = "tasks"
    menu_label = gettext_lazy("プロジェクト（公開・事例紹介）")
    url_prefix = "forum/projects"
    name = "forum_project"
    index_view_class = ProjectIndexView
    edit_view_class = ProjectEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "title",
        Column("stage", label=gettext_lazy("ステージ"), accessor="get_stage_display"),
        "field",
        StatusTagColumn(
            "is_public",
            label=gettext_lazy("公開"),
            accessor=lambda p: _("公開中") if p.is_public else _("非公開"),
            primary=lambda p: p.is_public,
        ),
        DateColumn("created_at", label=gettext_lazy("開始日時")),
    ]
    list_filter = ["stage", "is_public", "field"]
    search_fields = ["title", "summary", "case_study"]
    search_backend_name = None
    ordering = ["-created_at"]
    form_fields = [
        "is_public",
        "title_en",
        "case_study",
        "case_study_en",
        "department",
        "responsible_post",
        "responsible_user",
    ]
    inspect_view_fields = [
        "title",
        "summary",
        "stage",
        "field",
        "origin",
        "is_public",
        "title_en",
        "case_study",
        "case_study_en",
        "created_by",
        "created_at",
    ]


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
        "is_published",
    ]
    search_fields = ["title_ja", "title_en", "slug"]
    search_backend_name = None
    form_fields = ["organisation", *CALL_FIELDS]
    ordering = ["-intake_opens_on"]


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
    list_display = ["name_ja", "name_en", "slug", "asks_regulatory_relief", "is_active"]
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
    list_display = ["name_ja", "publisher", "licence", "formats", "is_active"]
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


class ForumViewSetGroup(ViewSetGroup):
    """One admin menu for everything about the forum's members and vocabulary."""

    menu_label = gettext_lazy("フォーラム")
    menu_icon = "group"
    menu_order = 150
    items = (
        OrganisationViewSet,
        MembershipViewSet,
        JoinRequestViewSet,
        InvitationViewSet,
        FieldViewSet,
        TechnologyViewSet,
        MunicipalityViewSet,
        ProjectViewSet,
        CallViewSet,
        DepartmentViewSet,
        ChallengeOwnerViewSet,
        StrategyThemeViewSet,
        CatalogDatasetViewSet,
    )
