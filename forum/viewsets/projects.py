"""Projects in the admin: publication and the responsible department."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from forum.models import (
    Project,
)
from forum.services.departments import (
    project_owner_set,
)
from forum.services.projects.lifecycle import project_publication_update
from forum.viewsets.base import ServiceEditView


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
