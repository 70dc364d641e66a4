"""Fixtures for the logs and metrics tests: the log lines as an operator would read them, and scrapes."""

import json
import logging

import pytest

from inclusion.observability.logs import JsonLineFormatter


@pytest.fixture
def log_lines(caplog):
    """Everything logged under `inclusion` (INFO and up) and by any library (WARNING and up), as the
    JSON lines production would print: `log_lines()` -> list of dicts; `log_lines(raw=True)` -> strings."""
    caplog.set_level(logging.INFO, logger="inclusion")
    formatter = JsonLineFormatter()

    def _lines(raw: bool = False):
        lines = [formatter.format(record) for record in caplog.records]
        return lines if raw else [json.loads(line) for line in lines]

    return _lines
