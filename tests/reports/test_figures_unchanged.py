"""The report-key machinery can be rebuilt without moving a figure: the monthly CSVs keep their bytes.

The SHA-256 of every month's funder CSV, for the demo alliance and for `flask demo generate
--seed 2026`, was recorded by the code before the counting rules moved into one definition
(inclusion/reports/keys.py), in fixtures/monthly_csv_sha256.json. Any change to a rule or to
the triggers that moved a figure would change a file's bytes.
"""

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from inclusion.core import demo_data
from inclusion.reports import exports
from inclusion.reports.periods import Period, add_months

FIXTURE = Path(__file__).parent / "fixtures" / "monthly_csv_sha256.json"
DEMO_TODAY = date(2026, 11, 30)  # the demo alliance is two years of sessions up to "today"
GENERATE = ["demo", "generate", "--learners", "400", "--sessions", "200", "--seed", "2026", "--until", "2026-10-31"]


def monthly_digests(first: date, last: date) -> dict[str, str]:
    digests, month = {}, first.replace(day=1)
    while month <= last:
        digests[month.strftime("%Y-%m")] = hashlib.sha256(exports.monthly_csv(Period.month(month))).hexdigest()
        month = add_months(month, 1)
    return digests


def seed_demo_alliance(monkeypatch) -> dict[str, str]:
    # The demo is dated from today: the clock is pinned so the recorded bytes stay comparable.
    monkeypatch.setattr(demo_data, "today_in_london", lambda: DEMO_TODAY)
    demo_data.seed_demo()
    return monthly_digests(date(2024, 12, 1), DEMO_TODAY)


def generate_data(runner) -> dict[str, str]:
    result = runner.invoke(args=GENERATE)
    assert result.exit_code == 0, result.output
    return monthly_digests(date(2023, 11, 1), date(2026, 10, 31))


@pytest.fixture
def recorded() -> dict[str, dict[str, str]]:
    return json.loads(FIXTURE.read_text())


def test_the_demo_alliance_s_monthly_csvs_are_byte_identical_to_those_recorded(db, monkeypatch, recorded):
    assert seed_demo_alliance(monkeypatch) == recorded["demo"]


def test_the_generated_data_s_monthly_csvs_are_byte_identical_to_those_recorded(db, runner, recorded):
    assert generate_data(runner) == recorded["generate"]
