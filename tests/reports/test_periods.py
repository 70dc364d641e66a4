"""Month arithmetic and parsing."""

from datetime import date

import pytest

from inclusion.reports.periods import Period, PeriodError, add_months, last_month, parse_month, parse_period

TODAY = date(2026, 11, 28)


def test_a_month_runs_from_its_first_to_its_last_day():
    assert Period.month(date(2028, 2, 14)) == Period(date(2028, 2, 1), date(2028, 2, 29))


def test_adding_months_crosses_year_ends_both_ways():
    assert add_months(date(2026, 11, 30), 2) == date(2027, 1, 1)
    assert add_months(date(2026, 1, 31), -1) == date(2025, 12, 1)


def test_parsing_a_month_gives_that_calendar_month():
    assert parse_month("2026-09", today=TODAY) == Period(date(2026, 9, 1), date(2026, 9, 30))


def test_the_current_month_is_allowed():
    assert parse_month("2026-11", today=TODAY).key == "2026-11"


@pytest.mark.parametrize("text", ["2026-00", "2026-13", "2026-9", "26-09", "2026/09", "Sept", "", "0000-01"])
def test_a_malformed_month_is_refused(text):
    with pytest.raises(PeriodError, match="YYYY-MM"):
        parse_month(text, today=TODAY)


def test_a_future_month_is_refused():
    with pytest.raises(PeriodError, match="future"):
        parse_month("2026-12", today=TODAY)


def test_last_month_of_january_is_december():
    assert last_month(date(2027, 1, 15)).key == "2026-12"


def test_the_previous_period_and_the_year_before_have_the_same_length():
    quarter = parse_period("2026-07..2026-09", today=TODAY)
    assert quarter.previous() == Period(date(2026, 4, 1), date(2026, 6, 30))
    assert quarter.year_earlier() == Period(date(2025, 7, 1), date(2025, 9, 30))
    assert [month.key for month in quarter.each_month()] == ["2026-07", "2026-08", "2026-09"]


def test_a_run_of_months_must_not_go_backwards():
    with pytest.raises(PeriodError):
        parse_period("2026-09..2026-07", today=TODAY)
