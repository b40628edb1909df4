"""The public KPI roll-up, the figures /dashboard/kpis/ shows."""

from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from forum.api import filters
from forum.api.serializers.kpis import KpiRollupSerializer
from forum.api.views.base import ParametersMixin, PublicReadMixin
from forum.selectors.departments import department_get_by_slug
from forum.selectors.kpis import kpi_rollup_public, kpi_rollup_rows


class KpiRollupView(PublicReadMixin, ParametersMixin, GenericAPIView):
    """Approved KPIs of public projects, added up within each unit."""

    serializer_class = KpiRollupSerializer
    action = "retrieve"
    parameters = {"retrieve": filters.KpiRollupParameters}
    docs = {
        "retrieve": "成果指標（公開KPI）の集計\n見える化の成果指標ページ（/dashboard/kpis/）と同じ数値です。"
        "事務局が公開を承認した、公開プロジェクトのKPIだけを、同じ単位どうしで合計します。"
        "各KPIは最新の報告値だけを数え、単位の異なる値は足しません。"
        "department を指定すると、その所属が担当するプロジェクトのKPIだけを集計します。",
    }

    def get(self, request):
        slug = self.param("department")
        department = department_get_by_slug(slug) if slug else None
        rows = kpi_rollup_rows(kpi_rollup_public(department))
        unit = self.param("unit")
        rows = [
            {**r, "projects_url": request.build_absolute_uri(r["projects_url"])}
            for r in rows
            if not unit or r["unit"] == unit
        ]
        return Response(KpiRollupSerializer({"figures": rows}).data)
