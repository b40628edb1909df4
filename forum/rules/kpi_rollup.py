"""How public KPIs add up across projects.

Two rules keep a total honest:

- a KPI counts once, with its latest measured value (the value of its newest report; on the
  same day, the report filed last), never the sum of every report;
- values add up only within one unit: 時間 with 時間, never 時間 with 人. Units that do not
  add up across projects (%, 点, 増減率) are never totalled.

A total is grouped by what its KPIs' projects are (field, municipality, owning department)
or by the fiscal year in which the latest value was measured. A project in several municipalities counts in
each of them, so municipality rows may add up to more than the unit's total, which is why
every row also names the projects behind it.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from forum.models.kpis import KpiUnit
from forum.rules.fiscal_year import fiscal_year_of

# Units whose values may be summed across projects, in the order the page shows them.
ADDITIVE_UNITS = (
    KpiUnit.HOURS,
    KpiUnit.COUNT,
    KpiUnit.PEOPLE,
    KpiUnit.KWH,
    KpiUnit.CO2_TONNES,
    KpiUnit.YEN,
    KpiUnit.THOUSAND_YEN,
    KpiUnit.COUNT_CHANGE,
)


class UnitMismatch(ValueError):
    """Values of different units were asked to be added together."""


@dataclass(frozen=True)
class Measurement:
    """One reported value of one KPI, with what the roll-up groups it by."""

    kpi_id: int
    project_id: int
    unit: str
    measured_on: date
    report_id: int
    value: Decimal
    field_id: int | None = None
    municipality_ids: tuple[int, ...] = ()
    department_id: int | None = None

    @property
    def fiscal_year(self) -> int:
        """The fiscal year (年度) the value was measured in."""
        return fiscal_year_of(self.measured_on)


def kpi_is_additive(unit: str) -> bool:
    """Whether values of this unit may be added up across projects."""
    return unit in ADDITIVE_UNITS


def latest_measurements(measurements: Iterable[Measurement]) -> list[Measurement]:
    """Each KPI's latest value: the newest measurement date, then the report filed last."""
    latest: dict[int, Measurement] = {}
    for m in measurements:
        held = latest.get(m.kpi_id)
        if held is None or (m.measured_on, m.report_id) > (held.measured_on, held.report_id):
            latest[m.kpi_id] = m
    return sorted(latest.values(), key=lambda m: m.kpi_id)


def add_up(measurements: Iterable[Measurement]) -> Decimal:
    """The sum of values of one unit; UnitMismatch when the units differ."""
    measurements = list(measurements)
    units = {m.unit for m in measurements}
    if len(units) > 1:
        raise UnitMismatch(f"cannot add {', '.join(sorted(units))} together")
    if units and not kpi_is_additive(units.pop()):
        raise UnitMismatch("this unit does not add up across projects")
    return sum((m.value for m in measurements), Decimal(0))


@dataclass
class RollupCell:
    """The total of one unit for one group, and the KPIs and projects behind it."""

    unit: str
    key: object
    total: Decimal = Decimal(0)
    kpi_ids: set[int] = field(default_factory=set)
    project_ids: set[int] = field(default_factory=set)


def roll_up(
    measurements: Iterable[Measurement], group_of: Callable[[Measurement], Iterable[object]]
) -> dict[tuple[str, object], RollupCell]:
    """Totals by (unit, group) of each KPI's latest value; ``group_of`` names the groups a
    measurement belongs to (none, one, or several). Units that do not add up are left out."""
    cells: dict[tuple[str, object], RollupCell] = {}
    by_cell: dict[tuple[str, object], list[Measurement]] = defaultdict(list)
    for m in latest_measurements(measurements):
        if not kpi_is_additive(m.unit):
            continue
        for key in group_of(m):
            by_cell[(m.unit, key)].append(m)
    for (unit, key), found in by_cell.items():
        cells[(unit, key)] = RollupCell(
            unit=unit,
            key=key,
            total=add_up(found),
            kpi_ids={m.kpi_id for m in found},
            project_ids={m.project_id for m in found},
        )
    return cells


def by_unit(m: Measurement) -> tuple[str]:
    """One group for everything: the unit's total."""
    return ("",)


def by_field(m: Measurement) -> tuple:
    return (m.field_id,) if m.field_id is not None else ()


def by_municipality(m: Measurement) -> tuple[int, ...]:
    return m.municipality_ids


def by_department(m: Measurement) -> tuple:
    """The project's owning department; a project that names none is in no department's row."""
    return (m.department_id,) if m.department_id is not None else ()


def by_fiscal_year(m: Measurement) -> tuple[int]:
    return (m.fiscal_year,)
