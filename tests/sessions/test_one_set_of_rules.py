"""A session's fields follow the same rules in the session form, the services and the attendance import."""

from datetime import date, time

import pytest
from sqlalchemy import func, select

from inclusion.extensions import db
from inclusion.sessions.models import LearningSession
from inclusion.sessions.services import SessionDetails, SessionError, record_session
from tests import factories
from tests.imports.helpers import create_sample_alliance, import_file, row_counts, write
from tests.sessions.helpers import session_form

HEADER = "session_date,start_time,venue,duration_minutes,learner_reference\n"


def _import(runner, tmp_path, row: str):
    libraries = create_sample_alliance()
    factories.create_learner(reference="L-0001", partner=libraries)
    before = row_counts()
    result = import_file(runner, "attendance", write(tmp_path, "attendance.csv", HEADER + row))
    return result, before


@pytest.mark.parametrize("duration", ["²", "٣", "1e3", "99999999999999999999999"])
def test_an_imported_duration_that_is_not_a_whole_number_is_a_row_error_not_a_traceback(runner, tmp_path, duration):
    result, before = _import(runner, tmp_path, f"2026-09-04,10:00,Central Library,{duration},L-0001\n")
    assert result.exit_code == 1
    expected = "must be between 1 and 600" if duration.startswith("9") else "enter a whole number of minutes"
    assert f"row 2: duration_minutes: {expected}" in result.output
    assert "Traceback" not in result.output
    assert row_counts() == before


def test_an_imported_session_before_2000_is_refused_as_on_the_web(runner, tmp_path):
    result, before = _import(runner, tmp_path, "1999-12-31,10:00,Central Library,60,L-0001\n")
    assert "row 2: session_date: The date of the session must be after 1 January 2000" in result.output
    assert row_counts() == before


def test_an_imported_start_time_is_refused_in_the_forms_words(runner, tmp_path):
    result, _ = _import(runner, tmp_path, "2026-09-04,25:00,Central Library,60,L-0001\n")
    assert "row 2: start_time: Enter a start time like 10:30, using the 24-hour clock" in result.output


def test_an_imported_venue_holding_a_terminal_escape_is_refused_and_never_echoed(runner, tmp_path):
    result, before = _import(runner, tmp_path, "2026-09-04,10:00,Central\x1b[31m Library,60,L-0001\n")
    assert "row 2: venue: Remove the invisible control characters from this answer" in result.output
    assert "\x1b" not in result.output
    assert row_counts() == before


def test_a_start_time_with_seconds_is_read_by_the_form_as_by_the_import(client, login_as, runner, tmp_path):
    result, _ = _import(runner, tmp_path, "2026-09-04,10:30:00,Central Library,60,L-0001\n")
    assert result.exit_code == 0, result.output
    champion = login_as("champion")
    venue = factories.create_venue("Reddish", partner=champion.partner)
    response = client.post("/sessions/new", data=session_form(venue, start_time="14:15:00", unregistered_attendees="2"))
    assert response.status_code == 302
    db.session.rollback()
    times = db.session.scalars(select(LearningSession.start_time).order_by(LearningSession.id)).all()
    assert times == [time(10, 30), time(14, 15)]


def test_the_services_check_notes_and_control_characters_as_the_form_does(app):
    champion = factories.create_user("champion")
    venue = factories.create_venue(partner=champion.partner)
    details = SessionDetails(date(2026, 9, 4), venue.id, 60, unregistered_attendees=2, notes="x" * 2001)
    with pytest.raises(SessionError, match="Notes must be 2000 characters or fewer"):
        record_session(champion, details)
    details.notes = "Printer\x1b[2J"
    with pytest.raises(SessionError, match="Remove the invisible control characters"):
        record_session(champion, details)
    assert db.session.scalar(select(func.count(LearningSession.id))) == 0
