"""No CSV cell the application writes can run as a spreadsheet formula."""

import io
import zipfile

import pytest

from inclusion.csv_safety import csv_bytes, safe_cell
from tests import factories


@pytest.mark.parametrize("text", ["=SUM(A1)", "+44 161", "-1+1", "@cmd", "\tx", "\rx"])
def test_a_text_cell_starting_with_a_formula_character_is_prefixed_with_a_quote(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Central Library", "75+", "", 5, -3, 12.5, None, "L-0001"])
def test_other_cells_and_numbers_are_left_alone(value):
    assert safe_cell(value) == value


def test_csv_bytes_neutralises_every_text_cell_and_ends_lines_with_newline():
    assert csv_bytes(["a", "b"], [["=1+1", "x,y"]]) == b'a,b\n\'=1+1,"x,y"\n'


def test_an_empty_cell_and_numbers_are_written_plainly():
    assert csv_bytes(["name", "value"], [[None, -3], ["x", 12.5]]) == b"name,value\n,-3\nx,12.5\n"


def test_every_csv_of_a_subject_access_export_is_written_like_the_funder_csv(client, login_as):
    login_as("coordinator")
    learner = factories.create_learner("=Ann")
    response = client.get(f"/learners/{learner.reference}/export")
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist() if name.endswith(".csv")}
    assert files and all(b"\r" not in content for content in files.values())
    assert b"'=Ann" in files["details.csv"]
