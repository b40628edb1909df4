"""The public KPI roll-up: every total with the unit, what it is grouped by and its projects."""

from rest_framework import serializers

from forum.rules.kpi_rollup import ADDITIVE_UNITS


class KpiRollupFigureSerializer(serializers.Serializer):
    """One total of public KPIs in one unit for one group."""

    unit = serializers.ChoiceField(
        choices=[str(u) for u in ADDITIVE_UNITS], help_text="単位のコード"
    )
    unit_label = serializers.CharField(help_text="単位（要求の言語）")
    dimension = serializers.ChoiceField(
        choices=["total", "field", "municipality", "department", "fiscal_year"],
        help_text="total: 単位の合計、field: 分野別、municipality: 市町村別、"
        "department: 担当所属別、fiscal_year: 測定年度別",
    )
    key = serializers.CharField(
        help_text="分野のスラッグ、市町村コード、所属のスラッグ、または年度（2024 など）。合計は空",
        allow_blank=True,
    )
    label = serializers.CharField(help_text="区分の名前（要求の言語）")
    total = serializers.DecimalField(
        max_digits=20, decimal_places=2, help_text="各KPIの最新の値の合計（文字列の10進数）"
    )
    kpis = serializers.IntegerField(help_text="合計に含まれるKPIの数")
    projects = serializers.IntegerField(help_text="合計に含まれるプロジェクトの数")
    projects_url = serializers.CharField(
        help_text="合計に含まれるプロジェクトの一覧（/projects/ の絞り込み）"
    )


class KpiRollupSerializer(serializers.Serializer):
    """The public KPIs added up, as the page /dashboard/kpis/ shows them."""

    figures = KpiRollupFigureSerializer(many=True)
