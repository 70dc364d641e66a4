"""The shared form fields: dates as people type them, and day/month/year boxes that never crash."""

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from inclusion.form_fields import DayMonthYearField, parse_date


@pytest.mark.parametrize("typed", ["27/03/1951", "27-3-1951", "27.03.1951", "1951-03-27", " 27 3 1951 "])
def test_the_usual_ways_of_writing_a_date_are_understood(typed):
    assert parse_date(typed) == date(1951, 3, 27)


@pytest.mark.parametrize("typed", ["", "yesterday", "31/02/1951", "27/03/1851"])
def test_anything_else_is_not_a_date(typed):
    assert parse_date(typed) is None


class _Form(Form):
    when = DayMonthYearField("When", format="%d %m %Y")


@pytest.mark.parametrize(
    "posted, expected",
    [
        ([("when", "27"), ("when", "3"), ("when", "1951")], date(1951, 3, 27)),
        ([("when", "1951-03-27")], date(1951, 3, 27)),
        ([("when", "31"), ("when", "2"), ("when", "1951")], None),
        ([("when", "27"), ("when", "3"), ("when", "51")], None),
        ([], None),
    ],
)
def test_the_date_boxes_read_what_was_posted_and_always_hold_three_boxes(posted, expected):
    form = _Form(MultiDict(posted))
    assert form.when.data == expected
    assert len(form.when.raw_data) == 3
