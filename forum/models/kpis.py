"""A project's key performance indicators (KPI): what is measured, with its unit, baseline,
target and who may see it, and each value a progress report records."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from forum.models.projects import ProgressReport, Project


class KpiUnit(models.TextChoices):
    """Units a KPI is measured in; NEGATIVE_UNITS are the ones where a value may fall below zero."""

    COUNT = "count", _("件")
    PEOPLE = "people", _("人")
    PERCENT = "percent", _("%")
    YEN = "yen", _("円")
    THOUSAND_YEN = "thousand_yen", _("千円")
    HOURS = "hours", _("時間")
    KWH = "kwh", _("kWh")
    CO2_TONNES = "co2_tonnes", _("t-CO2")
    SCORE = "score", _("点")
    PERCENT_CHANGE = "percent_change", _("増減率（%）")
    COUNT_CHANGE = "count_change", _("増減（件）")


NEGATIVE_UNITS = frozenset({KpiUnit.PERCENT_CHANGE, KpiUnit.COUNT_CHANGE})


class KpiPublicity(models.TextChoices):
    """Whether a KPI is shown to everyone: participants ask, the secretariat decides."""

    PRIVATE = "private", _("非公開")
    PROPOSED = "proposed", _("公開を申請中")
    APPROVED = "approved", _("公開（承認済み）")
    REFUSED = "refused", _("公開を見送り")


def plain_number(value: Decimal) -> str:
    """A decimal without trailing zeros and with thousands separators: 1200.50 → 1,200.5."""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class ProjectKpi(models.Model):
    """A measure the project reports on: name, unit and target."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("KPI名"), max_length=100)
    unit = models.CharField(_("単位"), max_length=20, choices=KpiUnit.choices)
    target = models.DecimalField(
        _("目標値"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_on = models.DateField(_("目標の期日"), null=True, blank=True)
    baseline = models.DecimalField(
        _("基準値"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_on = models.DateField(_("基準値の測定日"), null=True, blank=True)
    publicity = models.CharField(
        _("公開"), max_length=20, choices=KpiPublicity.choices, default=KpiPublicity.PRIVATE
    )
    publicity_note = models.TextField(_("公開を見送った理由"), max_length=1000, blank=True)
    publicity_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公開を判断した人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    publicity_decided_at = models.DateTimeField(_("公開を判断した日時"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = pgettext_lazy("singular", "KPI")
        verbose_name_plural = _("KPI")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"],
                name="projectkpi_unique_name",
                violation_error_message=_("同じ名前のKPIがすでにあります。"),
            )
        ]

    def __str__(self) -> str:
        return gettext("%(name)s（%(unit)s）") % {
            "name": self.name,
            "unit": self.get_unit_display(),
        }

    @property
    def display_target(self) -> str:
        """The target as people write it, or empty."""
        return "" if self.target is None else plain_number(self.target)

    @property
    def display_baseline(self) -> str:
        """The baseline as people write it, or empty."""
        return "" if self.baseline is None else plain_number(self.baseline)

    @property
    def is_public(self) -> bool:
        """Shown to everyone: the secretariat approved it (its project must be public too)."""
        return self.publicity == KpiPublicity.APPROVED


class KpiValue(models.Model):
    """One KPI's value in one report."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="kpi_values")
    kpi = models.ForeignKey(ProjectKpi, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("値"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["kpi__created_at", "kpi_id"]
        verbose_name = _("KPIの値")
        verbose_name_plural = _("KPIの値")
        constraints = [
            models.UniqueConstraint(fields=["report", "kpi"], name="kpivalue_unique_report_kpi")
        ]

    def __str__(self) -> str:
        return f"{self.kpi_id}: {self.value}"

    @property
    def display_value(self) -> str:
        """The value as people write it."""
        return plain_number(self.value)
