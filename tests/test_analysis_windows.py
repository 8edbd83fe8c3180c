"""Year windows: where a year begins and ends is a parameter."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from magnitsky.analysis.windows import describe, parse_year_end, span, window, year_of


def test_a_calendar_year_is_january_to_december() -> None:
    assert window(2023) == (date(2023, 1, 1), date(2023, 12, 31))


def test_a_report_year_ending_before_human_rights_day_starts_the_december_before() -> None:
    assert window(2023, (12, 5)) == (date(2022, 12, 6), date(2023, 12, 5))
    assert year_of(date(2023, 12, 5), (12, 5)) == 2023
    assert year_of(date(2023, 12, 8), (12, 5)) == 2024  # the December actions move on


def test_the_us_fiscal_year_ends_on_30_september() -> None:
    assert window(2024, (9, 30)) == (date(2023, 10, 1), date(2024, 9, 30))
    assert year_of(date(2023, 10, 1), (9, 30)) == 2024


@pytest.mark.parametrize("year_end", [(12, 31), (12, 5), (9, 30), (1, 1), (2, 28)])
def test_every_day_lies_in_exactly_the_window_of_its_year(year_end: tuple[int, int]) -> None:
    day = date(2019, 12, 25)
    while day < date(2025, 1, 10):
        start, end = window(year_of(day, year_end), year_end)
        assert start <= day <= end
        day += timedelta(days=1)
    for year in range(2019, 2025):  # consecutive windows touch, with no gap
        assert window(year, year_end)[1] + timedelta(days=1) == window(year + 1, year_end)[0]


def test_span_runs_from_the_first_day_of_one_year_to_the_last_of_another() -> None:
    assert span(2018, 2022, (12, 5)) == (date(2017, 12, 6), date(2022, 12, 5))


def test_describe_names_the_days_of_a_year_that_is_not_a_calendar_year() -> None:
    assert describe(2023) == "calendar year 2023"
    assert describe(2023, (12, 5)) == "the year ending 5 December 2023 (6 Dec 2022 – 5 Dec 2023)"


@pytest.mark.parametrize("text", ["02-29", "13-45", "12/31", "", "12-31-1"])
def test_a_year_end_that_is_not_a_day_of_every_year_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="MM-DD"):
        parse_year_end(text)


def test_parse_year_end_reads_month_and_day() -> None:
    assert parse_year_end("09-30") == (9, 30)
