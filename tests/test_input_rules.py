"""The rules every typed value passes: one whole-number reader, one search cut, one pager."""

import pytest

from inclusion.paging import Page, page_within
from inclusion.rules import BEYOND_ANY_RANGE, Invalid, plain_text, search_text, whole_number


@pytest.mark.parametrize(
    "typed, number",
    [("42", 42), (" 7 ", 7), ("60.0", 60), ("007", 7), ("0", 0), ("9223372036854775808", BEYOND_ANY_RANGE)],
)
def test_a_whole_number_is_read_from_ascii_digits(typed, number):
    assert whole_number(typed) == number


@pytest.mark.parametrize("typed", ["²", "٣", "1_000", "-1", "+1", "1e3", "1.5", "", " ", None, "x", "9" * 5000])
def test_anything_else_is_not_a_whole_number_and_never_raises(typed):
    expected = BEYOND_ANY_RANGE if typed == "9" * 5000 else None
    assert whole_number(typed) == expected


def test_a_search_is_cut_to_the_fields_length_without_control_characters():
    assert search_text("a" * 60_000) == "a" * 100
    assert search_text("ab\x00cd\x1b[31m  ef ", 201) == "abcd[31m ef"


def test_plain_text_refuses_a_terminal_escape_and_trims_spaces():
    assert plain_text("  Ann ") == "Ann"
    with pytest.raises(Invalid, match="Remove the invisible control characters"):
        plain_text("Ann\x1b[2J")


@pytest.mark.parametrize("asked, expected", [(1, 1), (0, 1), (3, 3), (4, 3), (BEYOND_ANY_RANGE, 3)])
def test_a_page_past_either_end_of_the_list_is_its_nearest_page(asked, expected):
    assert page_within(asked, total=101, per_page=50) == expected


def test_an_empty_list_has_one_page():
    assert page_within(5, total=0, per_page=50) == 1
    assert Page(rows=[], total=0, page=1, per_page=25).pages == 1
