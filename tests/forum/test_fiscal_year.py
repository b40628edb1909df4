from datetime import date

import pytest

from forum.rules.fiscal_year import (
    FiscalPeriod,
    fiscal_periods_between,
    fiscal_quarter_bounds,
    fiscal_quarter_of,
    fiscal_year_bounds,
    fiscal_year_choice_label,
    fiscal_year_label,
    fiscal_year_of,
    parse_fiscal_period,
)


@pytest.mark.parametrize(
    ("day", "year", "quarter"),
    [
        (date(2025, 3, 31), 2024, 4),
        (date(2025, 4, 1), 2025, 1),
        (date(2024, 6, 30), 2024, 1),
        (date(2024, 7, 1), 2024, 2),
        (date(2024, 12, 31), 2024, 3),
        (date(2025, 1, 1), 2024, 4),
    ],
)
def test_a_day_falls_in_the_fiscal_year_and_quarter_that_start_in_april(day, year, quarter):
    assert fiscal_year_of(day) == year
    assert fiscal_quarter_of(day) == quarter


def test_bounds_cover_april_to_march_and_each_quarter_without_gaps():
    assert fiscal_year_bounds(2024) == (date(2024, 4, 1), date(2025, 3, 31))
    quarters = [fiscal_quarter_bounds(2024, q) for q in (1, 2, 3, 4)]
    assert quarters[0] == (date(2024, 4, 1), date(2024, 6, 30))
    assert quarters[3] == (date(2025, 1, 1), date(2025, 3, 31))
    for (_, end), (start, _) in zip(quarters, quarters[1:], strict=False):
        assert (start - end).days == 1


@pytest.mark.parametrize(
    ("year", "ja", "en"),
    [(2024, "令和6年度", "FY2024"), (2019, "令和元年度", "FY2019"), (2018, "平成30年度", "FY2018")],
)
def test_labels_use_the_era_in_japanese_and_the_western_year_in_english(year, ja, en):
    assert fiscal_year_label(year, "ja") == ja
    assert fiscal_year_label(year, "en") == en


def test_periods_between_run_in_order_across_the_year_boundary():
    years = fiscal_periods_between(date(2020, 3, 31), date(2022, 4, 1))
    assert [p.key for p in years] == ["2019", "2020", "2021", "2022"]
    quarters = fiscal_periods_between(date(2024, 12, 1), date(2025, 4, 2), by_quarter=True)
    assert [p.key for p in quarters] == ["2024-Q3", "2024-Q4", "2025-Q1"]
    assert quarters[1].label("ja") == "令和6年度 第4四半期"


def test_a_period_key_reads_back_and_nonsense_is_refused():
    assert parse_fiscal_period("2024-q3") == FiscalPeriod(2024, 3)
    assert parse_fiscal_period("2024") == FiscalPeriod(2024)
    for bad in ("24", "2024-Q5", "2024-Q12", "令和6"):
        with pytest.raises(ValueError):
            parse_fiscal_period(bad)


def test_choice_labels_give_the_era_and_the_western_year_in_japanese():
    assert fiscal_year_choice_label(2026, "ja") == "令和8年度（2026年度）"
    assert fiscal_year_choice_label(2019, "ja") == "令和元年度（2019年度）"
    assert fiscal_year_choice_label(2026, "en") == "FY2026"
