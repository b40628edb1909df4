"""Japanese fiscal years (年度): April to March, named by the calendar year they start in.

FY2024 runs from 1 April 2024 to 31 March 2025. In Japanese a fiscal year reads in the era
of its first day: 令和6年度 for FY2024, 令和元年度 for FY2019 (it began on 1 April 2019, a
month before 令和 started, but public bodies name that year 令和元年度), 平成30年度 for FY2018.
Quarters follow the fiscal year: Q1 is April–June, Q4 January–March.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import get_language
from django.utils.translation import gettext as _

FIRST_MONTH = 4
# (first fiscal year of the era, era name): 令和 from FY2019, 平成 from FY1989.
ERAS = ((2019, "令和"), (1989, "平成"))


def fiscal_year_of(day: date) -> int:
    """The fiscal year a date falls in (31 March 2025 → 2024, 1 April 2025 → 2025)."""
    return day.year if day.month >= FIRST_MONTH else day.year - 1


def fiscal_quarter_of(day: date) -> int:
    """The fiscal quarter, 1 (April–June) to 4 (January–March)."""
    return (day.month - FIRST_MONTH) % 12 // 3 + 1


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    """First and last day of a fiscal year, both included."""
    return date(year, FIRST_MONTH, 1), date(year + 1, FIRST_MONTH - 1, 31)


def fiscal_quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a fiscal quarter, both included."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"a fiscal quarter is 1 to 4, not {quarter}")
    month = (FIRST_MONTH - 1 + 3 * (quarter - 1)) % 12 + 1
    start_year = year if month >= FIRST_MONTH else year + 1
    start = date(start_year, month, 1)
    end_month = month + 2
    next_start = date(start_year + end_month // 12, end_month % 12 + 1, 1)
    return start, date.fromordinal(next_start.toordinal() - 1)


def japanese_era_year(year: int) -> str:
    """令和6 for 2024, 令和元 for 2019, 平成30 for 2018; the Western year before 平成."""
    for first, era in ERAS:
        if year >= first:
            number = year - first + 1
            return f"{era}{'元' if number == 1 else number}"
    return str(year)


def fiscal_year_label(year: int, language: str | None = None) -> str:
    """「令和6年度」 in Japanese, "FY2024" in English."""
    if (language or get_language() or "ja").startswith("ja"):
        return f"{japanese_era_year(year)}年度"
    return f"FY{year}"


def fiscal_year_choice_label(year: int, language: str | None = None) -> str:
    """A fiscal year among choices: 「令和6年度（2024年度）」 in Japanese, so the era the report
    names is found by the Western year too; "FY2024" in English."""
    if (language or get_language() or "ja").startswith("ja"):
        return f"{fiscal_year_label(year, 'ja')}（{year}年度）"
    return fiscal_year_label(year, language)


def fiscal_quarter_label(year: int, quarter: int, language: str | None = None) -> str:
    """「令和6年度 第1四半期」 in Japanese, "FY2024 Q1" in English."""
    if (language or get_language() or "ja").startswith("ja"):
        return f"{fiscal_year_label(year, 'ja')} 第{quarter}四半期"
    return f"FY{year} Q{quarter}"


@dataclass(frozen=True, order=True)
class FiscalPeriod:
    """A fiscal year, or one quarter of it; sorts in time order."""

    year: int
    quarter: int | None = None

    @classmethod
    def of(cls, day: date, *, by_quarter: bool = False) -> "FiscalPeriod":
        return cls(fiscal_year_of(day), fiscal_quarter_of(day) if by_quarter else None)

    @property
    def bounds(self) -> tuple[date, date]:
        if self.quarter is None:
            return fiscal_year_bounds(self.year)
        return fiscal_quarter_bounds(self.year, self.quarter)

    @property
    def key(self) -> str:
        """A stable key for CSV, JSON and query strings: "2024" or "2024-Q1"."""
        return str(self.year) if self.quarter is None else f"{self.year}-Q{self.quarter}"

    def label(self, language: str | None = None) -> str:
        if self.quarter is None:
            return fiscal_year_label(self.year, language)
        return fiscal_quarter_label(self.year, self.quarter, language)


def fiscal_periods_between(first: date, last: date, *, by_quarter: bool = False):
    """Every fiscal year (or quarter) from the one holding `first` to the one holding `last`."""
    period, end = (
        FiscalPeriod.of(first, by_quarter=by_quarter),
        FiscalPeriod.of(last, by_quarter=by_quarter),
    )
    periods = []
    while period <= end:
        periods.append(period)
        if period.quarter is None:
            period = FiscalPeriod(period.year + 1)
        elif period.quarter == 4:
            period = FiscalPeriod(period.year + 1, 1)
        else:
            period = FiscalPeriod(period.year, period.quarter + 1)
    return periods


def parse_fiscal_period(key: str) -> FiscalPeriod:
    """The period named by `FiscalPeriod.key` ("2024", "2024-Q3"); ValueError otherwise."""
    year, _sep, quarter = key.strip().upper().partition("-Q")
    if not year.isdigit() or len(year) != 4 or (quarter and quarter not in {"1", "2", "3", "4"}):
        raise ValueError(_("年度は 2024 または 2024-Q1 の形で指定してください。"))
    return FiscalPeriod(int(year), int(quarter) if quarter else None)
