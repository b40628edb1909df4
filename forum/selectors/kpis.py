"""Public KPIs: what each public project shows, the roll-up of the public dashboard, and the
secretariat's queue of KPIs waiting for a decision.

Only KPIs the secretariat approved, of projects that are public, are read here for the public;
every other KPI stays inside its project. The roll-up reads the facts in a fixed number of
queries and adds them up with forum.rules.kpi_rollup.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from forum.models import Department, Field, KpiValue, Municipality, Project, ProjectKpi
from forum.models.kpis import KpiPublicity, KpiUnit, plain_number
from forum.rules.fiscal_year import fiscal_year_label
from forum.rules.kpi_rollup import (
    ADDITIVE_UNITS,
    Measurement,
    RollupCell,
    by_department,
    by_field,
    by_fiscal_year,
    by_municipality,
    by_unit,
    roll_up,
)


def kpi_list_public():
    """Approved KPIs of public projects: the only KPIs anyone outside a project may read."""
    return ProjectKpi.objects.filter(publicity=KpiPublicity.APPROVED, project__is_public=True)


def kpi_list_for_review():
    """KPIs whose participants asked for publication, oldest request first, for the secretariat."""
    return (
        ProjectKpi.objects.filter(publicity=KpiPublicity.PROPOSED)
        .select_related("project", "project__field")
        .order_by("created_at", "pk")
    )


def kpi_measurement_list_public(department_id: int | None = None) -> list[Measurement]:
    """Every value reported for a public KPI, with its project's field, municipalities and
    owning department; only those of one department's projects when ``department_id`` is given."""
    rows = KpiValue.objects.filter(kpi__in=kpi_list_public())
    if department_id is not None:
        rows = rows.filter(kpi__project__department_id=department_id)
    rows = rows.values_list(
        "kpi_id",
        "kpi__project_id",
        "kpi__unit",
        "report__reported_on",
        "report_id",
        "value",
        "kpi__project__field_id",
        "kpi__project__department_id",
    )
    rows = list(rows.order_by("kpi_id", "report__reported_on", "report_id"))
    places: dict[int, list[int]] = defaultdict(list)
    for project_id, municipality_id in (
        Project.municipalities.through.objects.filter(project_id__in={r[1] for r in rows})
        .order_by("municipality__code")
        .values_list("project_id", "municipality_id")
    ):
        places[project_id].append(municipality_id)
    return [
        Measurement(
            kpi_id=kpi_id,
            project_id=project_id,
            unit=unit,
            measured_on=on,
            report_id=report_id,
            value=value,
            field_id=field_id,
            municipality_ids=tuple(places[project_id]),
            department_id=department_id,
        )
        for kpi_id, project_id, unit, on, report_id, value, field_id, department_id in rows
    ]


@dataclass
class RollupRow:
    """One line of a unit's table: the group, its total, and the link to its projects."""

    dimension: str  # "total", "field", "municipality", "department" or "fiscal_year"
    key: str  # slug, code, department slug or fiscal year; empty for the total
    label: str
    total: Decimal
    kpis: int
    projects: int
    url: str

    @property
    def display_total(self) -> str:
        return plain_number(self.total)


@dataclass
class UnitRollup:
    """Everything added up in one unit."""

    unit: str
    label: str
    kpi_names: list[str]
    total: RollupRow
    rows: list[RollupRow] = field(default_factory=list)

    def rows_of(self, dimension: str) -> list[RollupRow]:
        return [r for r in self.rows if r.dimension == dimension]

    @property
    def by_field(self) -> list[RollupRow]:
        return self.rows_of("field")

    @property
    def by_municipality(self) -> list[RollupRow]:
        return self.rows_of("municipality")

    @property
    def by_department(self) -> list[RollupRow]:
        return self.rows_of("department")

    @property
    def by_fiscal_year(self) -> list[RollupRow]:
        return self.rows_of("fiscal_year")

    @property
    def tables(self) -> list[tuple[str, list[RollupRow], str]]:
        """(title, rows, dimension) of the unit's four tables, in the page's order."""
        return [
            (_("年度別（測定した年度）"), self.by_fiscal_year, "fiscal_year"),
            (_("分野別"), self.by_field, "field"),
            (_("市町村別"), self.by_municipality, "municipality"),
            (_("所属別"), self.by_department, "department"),
        ]

    @property
    def chart(self) -> dict:
        """A bar chart of the totals by fiscal year of measurement (the table shows the same)."""
        rows = self.by_fiscal_year
        return {
            "type": "bar",
            "labels": [r.label for r in rows],
            "datasets": [
                {
                    "label": _("合計（%(unit)s）") % {"unit": self.label},
                    "data": [float(r.total) for r in rows],
                }
            ],
        }


def _list_url(unit: str, **narrow) -> str:
    query = {"kpi_unit": unit, **{k: v for k, v in narrow.items() if v}}
    return reverse("projects:list") + "?" + urlencode(query)


def _department_rows(unit: str, measurements: list[Measurement], scope: str) -> list[RollupRow]:
    """The unit's rows by owning department, in the organisations' order."""
    cells = roll_up(measurements, by_department)
    ids = {key for u, key in cells if u == unit}
    departments = (
        Department.objects.filter(pk__in=ids)
        .select_related("organisation__municipality")
        .order_by("organisation__name", "sort_order", "pk")
    )
    # Narrowed to one department, a department row can only be that one: its link keeps it.
    return [
        _row(
            cells[(unit, d.pk)],
            "department",
            d.slug,
            str(d),
            _list_url(unit, department=d.slug),
        )
        for d in departments
    ]


def _row(cell: RollupCell, dimension: str, key: str, label: str, url: str) -> RollupRow:
    return RollupRow(
        dimension=dimension,
        key=key,
        label=label,
        total=cell.total,
        kpis=len(cell.kpi_ids),
        projects=len(cell.project_ids),
        url=url,
    )


def _unit_rows(unit: str, measurements: list[Measurement], scope: str = "") -> list[RollupRow]:
    """The unit's rows by field (field order), municipality (code order), department and fiscal
    year. ``scope`` is the slug of the department the figures are narrowed to, which every
    link to the projects behind a number keeps."""
    rows = []
    fields = roll_up(measurements, by_field)
    for f in Field.objects.order_by("sort_order", "pk"):
        if (cell := fields.get((unit, f.pk))) is not None:
            url = _list_url(unit, field=f.slug, department=scope)
            rows.append(_row(cell, "field", f.slug, f.name, url))
    places = roll_up(measurements, by_municipality)
    place_ids = {key for u, key in places if u == unit}
    for m in Municipality.objects.filter(pk__in=place_ids).order_by("code"):
        cell = places[(unit, m.pk)]
        url = _list_url(unit, municipality=m.code, department=scope)
        rows.append(_row(cell, "municipality", m.code, m.display_name, url))
    rows += _department_rows(unit, measurements, scope)
    years = roll_up(measurements, by_fiscal_year)
    for year in sorted(key for u, key in years if u == unit):
        rows.append(
            _row(
                years[(unit, year)],
                "fiscal_year",
                str(year),
                fiscal_year_label(year),
                _list_url(unit, kpi_year=str(year), department=scope),
            )
        )
    return rows


def kpi_rollup_public(department: Department | None = None) -> list[UnitRollup]:
    """The public KPIs added up, one block per unit that has values, in ADDITIVE_UNITS order;
    only those of one department's projects when ``department`` is given."""
    measurements = kpi_measurement_list_public(department.pk if department else None)
    scope = department.slug if department else ""
    totals = roll_up(measurements, by_unit)
    names: dict[str, set[str]] = defaultdict(set)
    kpis = kpi_list_public()
    if department is not None:
        kpis = kpis.filter(project__department=department)
    for unit, name in kpis.values_list("unit", "name"):
        names[unit].add(name)
    blocks = []
    for unit in ADDITIVE_UNITS:
        cell = totals.get((unit, ""))
        if cell is None:
            continue
        label = str(KpiUnit(unit).label)
        total = _row(cell, "total", "", _("合計"), _list_url(unit, department=scope))
        blocks.append(
            UnitRollup(
                unit=unit,
                label=label,
                kpi_names=sorted(names[unit]),
                total=total,
                rows=_unit_rows(unit, measurements, scope),
            )
        )
    return blocks


def kpi_project_ids_public(unit: str, fiscal_year: str = "") -> set[int]:
    """The public projects behind a roll-up figure: those with a public KPI in ``unit`` (whose
    latest value was measured in ``fiscal_year``, when given)."""
    measurements = kpi_measurement_list_public()
    if fiscal_year:
        cell = roll_up(measurements, by_fiscal_year).get((unit, int(fiscal_year)))
    else:
        cell = roll_up(measurements, by_unit).get((unit, ""))
    return set(cell.project_ids) if cell else set()


def kpi_rollup_rows(blocks: list[UnitRollup]) -> list[dict]:
    """Every figure of the roll-up as flat rows, for CSV, JSON and the API."""
    flat = []
    for block in blocks:
        for row in [block.total, *block.rows]:
            flat.append(
                {
                    "unit": block.unit,
                    "unit_label": block.label,
                    "dimension": row.dimension,
                    "key": row.key,
                    "label": row.label,
                    "total": row.total,
                    "kpis": row.kpis,
                    "projects": row.projects,
                    "projects_url": row.url,
                }
            )
    return flat
