"""No CSV cell the application writes can run as a spreadsheet formula."""

import pytest

from inclusion.csv_safety import csv_bytes, safe_cell


@pytest.mark.parametrize("text", ["=SUM(A1)", "+44 161", "-1+1", "@cmd", "\tx", "\rx"])
def test_a_text_cell_starting_with_a_formula_character_is_prefixed_with_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Central Library", "75+", "", 5, -3])
def test_other_cells_and_numbers_are_left_alone(value):
    assert safe_cell(value) == value


def test_csv_bytes_neutralises_every_text_cell_and_ends_lines_with_newline():
    assert csv_bytes(["a", "b"], [["=1+1", "x,y"]]) == b'a,b\n\'=1+1,"x,y"\n'
