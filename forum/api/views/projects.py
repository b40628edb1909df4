"""Public projects: the list and each project, as their public pages show them."""

from forum.api import filters
from forum.api.serializers.projects import ProjectSerializer
from forum.api.views.base import PublicReadViewSet
from forum.selectors.projects.lists import project_list_public, project_with_public_record


class ProjectViewSet(PublicReadViewSet):
    """Projects the secretariat has made public, filtered like the public list (/projects/)."""

    serializer_class = ProjectSerializer
    parameters = {"list": filters.ProjectParameters}
    docs = {
        "list": "公開プロジェクトの一覧\nプロジェクト一覧ページ（/projects/）と同じ絞り込みができます。"
        "事務局が公開したプロジェクトだけで、非公開のものは含みません。",
        "retrieve": "公開プロジェクト\n事例紹介、ステージの歩みと成果、参加団体、参加市町村、"
        "公開中の課題、進捗率です。ステージを動かした人やメモ、進捗報告は含みません。",
    }

    def list_queryset(self):
        return project_with_public_record(project_list_public(**self.params.filters()))

    def detail_queryset(self):
        return project_with_public_record(project_list_public())
