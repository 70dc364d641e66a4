"""Rules every typed value passes, whichever door it came in by: forms, services, imports, queries.

A rule is a pure function: it takes what was typed and returns the clean value, or raises
`Invalid`. Web forms call rules through thin WTForms validators, services call them again
(they trust no caller), and the spreadsheet import calls the same functions on each cell.
"""

import re

# Invisible characters nobody types on purpose (a terminal escape starts with \x1b); NUL also
# makes PostgreSQL refuse the whole query. Tab, line feed and carriage return are ordinary.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_CHARACTERS_MESSAGE = "Remove the invisible control characters from this answer"
# Larger than any number the application counts or stores: what an absurdly long number reads as.
BEYOND_ANY_RANGE = 10**18
_DIGITS_KEPT = len(str(BEYOND_ANY_RANGE))
SEARCH_MAX_LENGTH = 100


def limited(max_length: int):
    """Mark a rule with the longest text it accepts, so forms say so before anyone types more:
    a text box gets `maxlength`, a text area GOV.UK's character count (inclusion/forms.py)."""

    def mark(rule):
        rule.max_length = max_length
        return rule

    return mark


class Invalid(ValueError):
    """A typed value breaks a rule. `message` is the sentence a form shows beside the field;
    `cell` the shorter words a spreadsheet import lists after `row N: column:` (the same unless given)."""

    def __init__(self, message: str, cell: str | None = None):
        super().__init__(message)
        self.message = message
        self.cell = cell or message


def plain_text(value: object) -> str:
    """The text without surrounding spaces; refuses control characters (never stored, never shown)."""
    text = "" if value is None else str(value)
    if CONTROL_CHARACTERS.search(text):
        raise Invalid(CONTROL_CHARACTERS_MESSAGE)
    return text.strip()


def whole_number(value: object) -> int | None:
    """A typed whole number, or None for anything else; never raises.

    Only ASCII digits count: '²' and '٣' pass str.isdigit() but are not what anyone typed as a
    number ('²' makes int() raise). A spreadsheet's '60.0' is 60. A number too long to mean
    anything reads as BEYOND_ANY_RANGE, so range checks refuse it and pagers clamp it, and no
    database ever sees a value past its integer columns.
    """
    text = "" if value is None else str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text or not text.isascii() or not text.isdigit():
        return None
    digits = text.lstrip("0") or "0"
    return int(digits) if len(digits) < _DIGITS_KEPT else BEYOND_ANY_RANGE


def search_text(value: object, max_length: int = SEARCH_MAX_LENGTH) -> str:
    """What a search box may send to the database: no control characters, cut to the field's length.

    A very long pattern is not only useless: SQLite refuses it ("LIKE or GLOB pattern too complex").
    """
    text = CONTROL_CHARACTERS.sub("", "" if value is None else str(value))
    return " ".join(text.split())[:max_length].strip()
