"""CSV the application writes never holds a cell a spreadsheet would run as a formula."""

import pytest

from inclusion.imports.csv_cells import csv_bytes, neutralise_formula


@pytest.mark.parametrize("value", ["=SUM(A1)", "+44 7700", "-1+2", "@cmd", "\tx", "\rx"])
def test_text_starting_like_a_formula_is_prefixed_with_a_quote(value):
    assert neutralise_formula(value) == "'" + value


@pytest.mark.parametrize("value", ["Central Library", "", 42, 12.5, None, "L-0001"])
def test_other_values_pass_unchanged(value):
    assert neutralise_formula(value) == value


def test_csv_bytes_neutralises_every_text_cell_but_not_numbers():
    assert csv_bytes(["name", "value"], [["=cmd()", -3]]) == b"name,value\r\n'=cmd(),-3\r\n"
