"""Spreadsheet cells holding control characters (a terminal escape, say): refused, never stored or echoed."""

from inclusion.imports.parsing import Problem
from inclusion.rules import CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE


def without_control_characters(values: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The row with every such cell emptied, and those cells' columns (in the file's order)."""
    dirty = [column for column, text in values.items() if CONTROL_CHARACTERS.search(text)]
    return {column: "" if column in dirty else text for column, text in values.items()}, dirty


def with_control_character_problems(number: int, dirty: list[str], problems: list[Problem]) -> list[Problem]:
    """The row's problems, where an emptied cell has one: it holds control characters (not "is required")."""
    kept = [problem for problem in problems if problem.column not in dirty]
    return [Problem(number, column, CONTROL_CHARACTERS_MESSAGE) for column in dirty] + kept
