"""Open data: published challenges and solutions, member organisations, the public
dashboard's figures and what left the open data."""

from rest_framework import mixins, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from forum.api import filters
from forum.api.serializers.public import (
    ChallengeSerializer,
    DashboardSerializer,
    DashboardSeriesSerializer,
    OrganisationSerializer,
    SolutionSerializer,
    WithdrawnSerializer,
)
from forum.api.views.base import ParametersMixin, PublicReadMixin, PublicReadViewSet
from forum.selectors.challenges import challenge_list_filtered, challenge_list_published
from forum.selectors.dashboard import dashboard_figures, dashboard_last_updated
from forum.selectors.dashboard_series import dashboard_series
from forum.selectors.departments import department_get_by_slug
from forum.selectors.solutions import (
    organisation_list_public,
    solution_list_filtered,
    solution_list_published,
)
from forum.selectors.withdrawals import withdrawal_list


class ChallengeViewSet(PublicReadViewSet):
    """Published challenges, filtered like the public list (/challenges/)."""

    serializer_class = ChallengeSerializer
    parameters = {"list": filters.ChallengeParameters}
    docs = {
        "list": "公開中の地域課題の一覧\n課題一覧ページ（/challenges/）と同じ絞り込みができます。"
        "募集終了の課題も含みます（status で絞り込めます）。",
        "retrieve": "公開中の地域課題",
    }

    def list_queryset(self):
        return challenge_list_filtered(
            self.params.filters(), updated_since=self.param("updated_since")
        )

    def detail_queryset(self):
        return challenge_list_published()


class SolutionViewSet(PublicReadViewSet):
    """Published solutions of approved organisations, filtered like the directory."""

    serializer_class = SolutionSerializer
    parameters = {"list": filters.SolutionParameters}
    docs = {
        "list": "公開中のソリューションの一覧\n承認済みの会員団体が公開しているものだけです。",
        "retrieve": "公開中のソリューション",
    }

    def list_queryset(self):
        return solution_list_filtered(
            self.params.filters(),
            organisation_id=self.param("organisation"),
            updated_since=self.param("updated_since"),
        )

    def detail_queryset(self):
        return solution_list_published()


class OrganisationViewSet(PublicReadViewSet):
    """Approved member organisations, with the public directory's columns only."""

    serializer_class = OrganisationSerializer
    parameters = {"list": filters.OrganisationParameters}
    docs = {
        "list": "会員団体の一覧\n承認済みの企業・大学などの団体です（市町村・事務局を除く）。",
        "retrieve": "会員団体",
    }

    def list_queryset(self):
        return organisation_list_public(
            kind=self.param("kind", ""),
            q=self.param("q", "").strip(),
            updated_since=self.param("updated_since"),
        )

    def detail_queryset(self):
        return organisation_list_public()


class DashboardView(PublicReadMixin, ParametersMixin, GenericAPIView):
    """The public dashboard's figures, the numbers /dashboard/ shows to everyone."""

    serializer_class = DashboardSerializer
    action = "retrieve"
    parameters = {"retrieve": filters.DashboardParameters}
    docs = {
        "retrieve": "見える化の公開数値\n見える化ページ（/dashboard/）の公開版と同じ数値です。"
        "公開中の課題、それらに届いた提案の件数（合計のみ）、公開プロジェクトから集計し、"
        "非公開のプロジェクトは含みません。1つの数値が figures の1件で、表・指標と、"
        "対象のステージ・分野・市町村（null はすべて）を持ちます。",
    }

    def get(self, request):
        dashboard = dashboard_figures(public=True)
        table = self.param("table")
        return Response(
            DashboardSerializer(
                {
                    "projects": dashboard.project_count,
                    "implemented": dashboard.implemented_count,
                    "implementation_rate": dashboard.implementation_rate,
                    "last_updated": dashboard_last_updated(),
                    "figures": [f for f in dashboard.figures if not table or f.table == table],
                }
            ).data
        )


class DashboardSeriesView(PublicReadMixin, ParametersMixin, GenericAPIView):
    """The public figures over time, the numbers /dashboard/time/ shows."""

    serializer_class = DashboardSeriesSerializer
    action = "retrieve"
    parameters = {"retrieve": filters.DashboardSeriesParameters}
    docs = {
        "retrieve": "見える化の推移（年度・四半期）\n/dashboard/time/ と同じ数値です。"
        "課題の公開日、提案の提出日、公開プロジェクトの開始日とステージの履歴から、"
        "年度（4月〜翌年3月）または四半期ごとに集計します。プロジェクトはそのステージに"
        "初めて到達した期間に数えます。1つの数値が points の1件です。",
    }

    def get(self, request):
        slug = self.param("department", "")
        department = department_get_by_slug(slug) if slug else None
        series = dashboard_series(
            public=True,
            by_quarter=self.param("grain", "year") == "quarter",
            department_id=department.pk if department else None,
        )
        table = self.param("table")
        return Response(
            DashboardSeriesSerializer(
                {
                    "grain": "quarter" if series.by_quarter else "year",
                    "periods": [{"key": p.key, "label": p.label()} for p in series.periods],
                    "points": [p for p in series.points if not table or p.table == table],
                }
            ).data
        )


class WithdrawnViewSet(
    PublicReadMixin, ParametersMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """What left the open data, so that harvesters using ``updated_since`` can delete it too."""

    serializer_class = WithdrawnSerializer
    parameters = {"list": filters.WithdrawnParameters}
    docs = {
        "list": "非公開になった記録の一覧\n一度公開された地域課題・ソリューション・プロジェクトのうち、"
        "今は公開されていないものです（掲載終了、非公開化、団体の承認取り消しなど）。"
        "updated_since で差分を取得している場合は、ここに載った ID を手元のコピーから削除してください。"
        "古いものから順に並びます。一度も公開されていない下書きや非公開プロジェクトは含みません。",
    }

    def get_queryset(self):
        return withdrawal_list(since=self.param("since"), kind=self.param("type", ""))
