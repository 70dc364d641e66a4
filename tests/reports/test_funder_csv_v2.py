"""Version 2 of the monthly funder CSV: version 1's rows, secondary suppression, and choosing a version."""

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.reports import dashboard, exports, funder_csv, metrics, services
from inclusion.reports.models import ReportRun
from inclusion.reports.periods import Period
from tests import factories

SEPTEMBER = Period.month(date(2026, 9, 1))


@pytest.fixture
def setting(app):
    """Change app settings for one test."""
    originals = {}

    def _set(name, value):
        originals.setdefault(name, app.config[name])
        app.config[name] = value

    yield _set
    app.config.update(originals)


def _cells(content: bytes) -> dict[tuple[str, str, str], str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))[1:]
    return {(measure, dimension, category): value for _month, measure, dimension, category, value in rows}


def _fifteen_learners_in_three_bands():
    """At Central Library on 4 September: six aged 25-34, seven 45-54 and two 65-74, each gaining DEV-01."""
    libraries = factories.create_partner("Libraries")
    central = factories.create_venue("Central Library", libraries)
    bands = ["25-34"] * 6 + ["45-54"] * 7 + ["65-74"] * 2
    learners = [factories.create_learner(age_band=band, partner=libraries) for band in bands]
    factories.create_session(central, date(2026, 9, 4), attendees=learners, skills={lr: ["FND-01"] for lr in learners})


def test_version_2_hides_the_smallest_other_age_band_when_one_band_is_suppressed(setting):
    setting("SUPPRESSION_THRESHOLD", 5)
    _fifteen_learners_in_three_bands()
    first = _cells(funder_csv.monthly_csv(SEPTEMBER, 1))
    second = _cells(funder_csv.monthly_csv(SEPTEMBER, 2))
    # Worked by hand: 6, 7 and 2 learners; the 2 is suppressed, so the 6 (smallest other) is too.
    for measure in ("adults_helped", "new_learners", "adults_helped_to_date", "attendances", "learners_gaining_skills"):
        assert [first[(measure, "age_band", band)] for band in ("25-34", "45-54", "65-74")] == ["6", "7", "[c]"]
        assert [second[(measure, "age_band", band)] for band in ("25-34", "45-54", "65-74")] == ["[c]", "7", "[c]"]
        assert second[(measure, "total", "all")] == first[(measure, "total", "all")] == "15"
    # Hours are never suppressed, so nothing is hidden among them.
    assert [second[("learner_hours", "age_band", b)] for b in ("25-34", "45-54", "65-74")] == ["6.0", "7.0", "2.0"]
    # Every version 1 row is there, and only the secondary cells differ.
    assert set(first) <= set(second)
    changed = {key for key in first if first[key] != second[key]}
    assert changed == {
        (measure, "age_band", "25-34")
        for measure in (
            "adults_helped",
            "new_learners",
            "adults_helped_to_date",
            "attendances",
            "skills_gained",
            "learners_gaining_skills",
        )
    }


def test_version_2_adds_nothing_where_no_age_band_or_two_are_suppressed(setting):
    setting("SUPPRESSION_THRESHOLD", 3)  # 6, 7 and 2: only the 2 is hidden → the 6 too
    _fifteen_learners_in_three_bands()
    assert _cells(funder_csv.monthly_csv(SEPTEMBER, 2))[("adults_helped", "age_band", "25-34")] == "[c]"
    setting("SUPPRESSION_THRESHOLD", 2)  # nothing hidden
    second = _cells(funder_csv.monthly_csv(SEPTEMBER, 2))
    assert [second[("adults_helped", "age_band", b)] for b in ("25-34", "45-54", "65-74")] == ["6", "7", "2"]
    setting("SUPPRESSION_THRESHOLD", 7)  # the 6 and the 2 hidden already: nothing more
    second = _cells(funder_csv.monthly_csv(SEPTEMBER, 2))
    assert [second[("adults_helped", "age_band", b)] for b in ("25-34", "45-54", "65-74")] == ["[c]", "7", "[c]"]


def test_version_1_is_the_first_stage_csv_byte_for_byte():
    _fifteen_learners_in_three_bands()
    assert funder_csv.monthly_csv(SEPTEMBER, 1) == exports.monthly_csv(SEPTEMBER)


def test_the_default_version_is_2_and_the_setting_changes_it(setting):
    _fifteen_learners_in_three_bands()
    assert funder_csv.monthly_csv(SEPTEMBER) == funder_csv.monthly_csv(SEPTEMBER, 2)
    setting("FUNDER_CSV_VERSION", 1)
    assert funder_csv.monthly_csv(SEPTEMBER) == exports.monthly_csv(SEPTEMBER)


def test_the_command_writes_the_version_asked_for(runner):
    _fifteen_learners_in_three_bands()
    first = runner.invoke(args=["reports", "monthly", "--month", "2026-09", "--version", "1"])
    assert first.exit_code == 0 and first.stdout_bytes == exports.monthly_csv(SEPTEMBER)
    second = runner.invoke(args=["reports", "monthly", "--month", "2026-09", "--version", "2"])
    assert second.stdout_bytes == funder_csv.monthly_csv(SEPTEMBER, 2)


@pytest.mark.parametrize(("version", "message"), [("3", "not available yet"), ("two", "whole number")])
def test_an_unknown_version_is_an_error_on_the_command_line(runner, version, message):
    result = runner.invoke(args=["reports", "monthly", "--month", "2026-09", "--version", version])
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output


def test_the_web_download_gives_version_1_when_asked_and_records_the_version(client, login_as):
    _fifteen_learners_in_three_bands()
    login_as("funder")
    assert client.get("/reports/monthly/2026-09.csv?version=1").data == exports.monthly_csv(SEPTEMBER)
    assert client.get("/reports/monthly/2026-09.csv").data == funder_csv.monthly_csv(SEPTEMBER, 2)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report_downloaded"))
    assert [event.details["version"] for event in events] == [1, 2]


@pytest.mark.parametrize("version", ["3", "0", "x"])
def test_an_unknown_version_on_the_web_is_a_clear_bad_request(client, login_as, version):
    login_as("coordinator")
    response = client.get(f"/reports/monthly/2026-09.csv?version={version}")
    assert response.status_code == 400
    assert "funder CSV" in response.get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report_downloaded")) is None


def test_a_report_run_records_the_version_it_sent_and_the_archive_shows_it(
    runner, mail_server, setting, login_as, client
):
    setting("FUNDER_REPORT_RECIPIENTS", ["grants@funder.example.org"])
    _fifteen_learners_in_three_bands()
    assert runner.invoke(args=["reports", "send-monthly", "--month", "2026-09"]).exit_code == 0
    setting("FUNDER_CSV_VERSION", 1)
    services.send_monthly_report(SEPTEMBER, resend=True)  # as from the archive page: a resend, now
    runs = list(db.session.scalars(select(ReportRun).order_by(ReportRun.id)))
    assert [run.version for run in runs] == [2, 1]
    assert runs[0].content == funder_csv.monthly_csv(SEPTEMBER, 2)
    assert runs[1].content == exports.monthly_csv(SEPTEMBER)
    login_as("funder")
    page = client.get("/reports/archive").get_data(as_text=True)
    assert '<th scope="col" class="govuk-table__header">Version</th>' in page
    assert '<td class="govuk-table__cell">2</td>' in page and '<td class="govuk-table__cell">1</td>' in page


def test_a_funder_sees_the_same_second_hidden_age_band_on_the_dashboard(setting):
    setting("SUPPRESSION_THRESHOLD", 5)
    _fifteen_learners_in_three_bands()
    board = dashboard.build_dashboard(dashboard.Filters(SEPTEMBER), today=date(2026, 10, 15), suppressed=True)
    # Adults helped, new learners, attendances and skills gained: 6, 7 and 2 each.
    assert {row["category"]: row["values"] for row in board.breakdowns["age_band"]} == {
        "25-34": ["[c]"] * 4,
        "45-54": [7] * 4,
        "65-74": ["[c]"] * 4,
    }
    unsuppressed = dashboard.build_dashboard(dashboard.Filters(SEPTEMBER), today=date(2026, 10, 15), suppressed=False)
    assert [row["values"][0] for row in unsuppressed.breakdowns["age_band"]] == [6, 7, 2]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"18-24": "[c]", "25-34": 7, "35-44": 6, "45-54": 6},
            {"18-24": "[c]", "25-34": 7, "35-44": "[c]", "45-54": 6},
        ),
        ({"18-24": 0, "25-34": "[c]", "35-44": 9}, {"18-24": 0, "25-34": "[c]", "35-44": "[c]"}),
        ({"18-24": 5, "25-34": 9}, {"18-24": 5, "25-34": 9}),
        ({"18-24": "[c]", "25-34": "[c]", "35-44": 9}, {"18-24": "[c]", "25-34": "[c]", "35-44": 9}),
        ({"18-24": "[c]"}, {"18-24": "[c]"}),
    ],
    ids=["ties go to the first band", "zeros are never hidden", "none hidden", "two hidden", "nothing else to hide"],
)
def test_secondary_suppression_hides_the_smallest_other_non_zero_band(cells, expected):
    assert metrics.suppress_partition(cells, 5) == expected


@pytest.mark.parametrize("asked", ["²", "٣", "x", "99999999999999999999999"])
def test_a_version_that_is_not_a_whole_number_we_know_is_a_clear_error_not_a_crash(app, asked):
    from inclusion.reports import funder_csv
    from inclusion.reports.versions import UnknownVersionError

    with pytest.raises(UnknownVersionError):
        funder_csv.parse_version(asked)
