"""Public results of selections (選定結果), read-only."""

from forum.api import filters
from forum.api.serializers.evaluation import ResultSerializer
from forum.api.views.base import PublicReadViewSet
from forum.selectors.evaluation import selection_list_published


class ResultViewSet(PublicReadViewSet):
    """Published selection results; looked up by the challenge's id."""

    serializer_class = ResultSerializer
    lookup_field = "challenge_id"
    parameters = {"list": filters.QueryParameters}
    docs = {
        "list": "公表された選定結果の一覧\n選定した団体、評価基準と配点、応募数、選定理由です。"
        "評点や審査員の所見、選ばれなかった提案は含みません。",
        "retrieve": "課題の選定結果（課題IDで指定）",
    }

    def list_queryset(self):
        return selection_list_published()

    def detail_queryset(self):
        return selection_list_published()
