"""/needs/: residents' published needs (open data; who sent them is never part of it)."""

from forum.api import filters
from forum.api.serializers.needs import NeedSerializer
from forum.api.views.base import PublicReadViewSet
from forum.selectors.needs import need_list_public


class NeedViewSet(PublicReadViewSet):
    """Published needs of residents, newest first, with their support."""

    serializer_class = NeedSerializer
    parameters = {"list": filters.ReferenceParameters}
    docs = {
        "list": "公開中の住民の声（地域の困りごと）の一覧\n市町村が確認して公開したものだけです。"
        "投稿した住民の情報は含みません。",
        "retrieve": "公開中の住民の声（地域の困りごと）",
    }

    def detail_queryset(self):
        return need_list_public().order_by("-published_at", "-pk")
