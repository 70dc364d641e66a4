"""List exports: the pages' filters, partner scoping, formula-injection safety, streaming, audit, files that open."""

import io
from datetime import date

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import select

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from tests import factories


@pytest.fixture
def alliance():
    """Libraries (Central Library) with Ann and Bob; Age UK (Age UK Hub) with Cyd, whose notes try a formula."""
    libraries, age_uk = factories.create_partner("Libraries"), factories.create_partner("Age UK")
    central = factories.create_venue("Central Library", libraries)
    hub = factories.create_venue("Age UK Hub", age_uk)
    ann = factories.create_learner("Ann", "Able", partner=libraries, age_band="25-34", heard_about="jobcentre")
    bob = factories.create_learner("Bob", '=HYPERLINK("http://evil")', partner=libraries, age_band="45-54")
    cyd = factories.create_learner("Cyd", "Cole", partner=age_uk, age_band="65-74")
    factories.create_session(central, date(2026, 9, 4), attendees=[ann, bob], skills={ann: ["FND-01", "COM-01"]})
    factories.create_session(central, date(2026, 10, 2), attendees=[ann])
    visit = factories.create_session(hub, date(2026, 10, 9), attendees=[cyd])
    visit.notes = "+1 cups of tea"
    db.session.commit()
    return {"libraries": libraries, "age_uk": age_uk, "central": central, "hub": hub}


def _csv(response) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(response.get_data()), dtype=str, keep_default_na=False)


def _xlsx(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(response.get_data()), read_only=True)
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_a_coordinator_exports_every_learner_as_csv_and_the_file_opens_in_pandas(client, login_as, alliance):
    login_as("coordinator")
    response = client.get("/exports/learners.csv")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="inclusion-learners-')
    frame = _csv(response)
    assert sorted(frame["first_name"]) == ["Ann", "Bob", "Cyd"]
    ann = frame[frame["first_name"] == "Ann"].iloc[0]
    assert (ann["heard_about"], ann["registered_with"], ann["age_band"]) == ("jobcentre", "Libraries", "25-34")
    assert ann["may_contact"] == "yes"  # whether a coordinator may ring them: the learner's own answer


def test_a_text_cell_that_would_run_as_a_formula_is_neutralised_in_csv_and_xlsx(client, login_as, alliance):
    login_as("coordinator")
    frame = _csv(client.get("/exports/learners.csv"))
    assert frame[frame["first_name"] == "Bob"].iloc[0]["last_name"] == '\'=HYPERLINK("http://evil")'
    rows = _xlsx(client.get("/exports/learners.xlsx"))
    bob = next(row for row in rows if row[1] == "Bob")
    assert bob[2] == '\'=HYPERLINK("http://evil")'
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/exports/sessions.xlsx").get_data()))
    cells = [cell for row in workbook.worksheets[0].iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    assert "'+1 cups of tea" in [cell.value for cell in cells]


def test_a_champion_exports_only_what_their_pages_list(client, login_as, alliance):
    login_as("champion", partner=alliance["libraries"])
    assert sorted(_csv(client.get("/exports/learners.csv"))["first_name"]) == ["Ann", "Bob"]
    sessions = _csv(client.get("/exports/sessions.csv"))
    assert list(sessions["venue"]) == ["Central Library", "Central Library"]
    assert list(sessions["learners"]) == ["2", "1"]
    attendances = _csv(client.get("/exports/attendances.csv"))
    assert sorted(attendances["first_name"]) == ["Ann", "Ann", "Bob"]
    rows = _xlsx(client.get("/exports/attendances.xlsx"))
    assert sorted(row[8] for row in rows[1:]) == ["Ann", "Ann", "Bob"]


@pytest.mark.parametrize(
    "path",
    [
        "/exports/learners.csv?partner={age_uk}",
        "/exports/sessions.xlsx?venue={hub}",
        "/exports/attendances.csv?partner={age_uk}",
    ],
)
def test_an_export_filter_for_another_partner_is_refused_plainly(client, login_as, alliance, path):
    login_as("champion", partner=alliance["libraries"])
    response = client.get(path.format(age_uk=alliance["age_uk"].id, hub=alliance["hub"].id))
    assert response.status_code == 403
    assert "You cannot use that filter" in response.text
    assert "not Age UK" in response.text
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "list_exported")) is None


def test_the_list_pages_refuse_the_same_filters_with_the_same_message(client, login_as, alliance):
    login_as("champion", partner=alliance["libraries"])
    assert client.get(f"/learners/?partner={alliance['age_uk'].id}").status_code == 403
    refused = client.get(f"/sessions/?venue={alliance['hub'].id}")
    assert refused.status_code == 403 and "not Age UK Hub" in refused.text
    assert client.get(f"/sessions/?partner={alliance['libraries'].id}").status_code == 200


def test_the_export_uses_the_filters_of_the_sessions_page(client, login_as, alliance):
    login_as("coordinator")
    page = client.get("/sessions/?from=1/10/2026&to=31/10/2026").text
    assert "/exports/attendances.xlsx?from=01/10/2026&amp;to=31/10/2026" in page
    rows = _xlsx(client.get("/exports/attendances.xlsx?from=01/10/2026&to=31/10/2026"))
    assert rows[0][:3] == ("session_id", "session_date", "start_time")
    assert [(row[1].date(), row[3], row[8]) for row in rows[1:]] == [
        (date(2026, 10, 2), "Central Library", "Ann"),
        (date(2026, 10, 9), "Age UK Hub", "Cyd"),
    ]
    by_partner = _csv(client.get(f"/exports/sessions.csv?partner={alliance['age_uk'].id}"))
    assert list(by_partner["venue"]) == ["Age UK Hub"]


def test_the_attendance_export_lists_the_skills_shown_at_each_session(client, login_as, alliance):
    login_as("coordinator")
    frame = _csv(client.get("/exports/attendances.csv"))
    first = frame[(frame["first_name"] == "Ann") & (frame["session_date"] == "2026-09-04")].iloc[0]
    assert sorted(first["skills"].split("; ")) == ["COM-01", "FND-01"]


def test_the_learners_export_uses_the_search_of_the_learners_page(client, login_as, alliance):
    login_as("coordinator")
    assert list(_csv(client.get("/exports/learners.csv?q=cole"))["first_name"]) == ["Cyd"]
    page = client.get("/learners/?q=cole").text
    assert "/exports/learners.csv?q=cole" in page


def test_every_export_is_in_the_audit_log_with_its_list_format_and_filters(client, login_as, alliance):
    coordinator = login_as("coordinator")
    client.get(f"/exports/sessions.xlsx?venue={alliance['hub'].id}").get_data()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "list_exported"))
    assert event.user_id == coordinator.id
    assert event.details["list"] == "sessions" and event.details["format"] == "xlsx"
    assert event.details["filters"] == {"venue": str(alliance["hub"].id)}


def test_funders_never_get_an_export(client, login_as, alliance):
    login_as("funder")
    for path in ("/exports/learners.csv", "/exports/sessions.xlsx", "/exports/attendances.csv"):
        assert client.get(path).status_code == 403


def test_an_empty_list_is_a_file_with_its_header_row(client, login_as, alliance):
    login_as("coordinator")
    frame = _csv(client.get("/exports/learners.csv?q=nobody-called-this"))
    assert frame.empty and "reference" in frame.columns
    assert len(_xlsx(client.get("/exports/learners.xlsx?q=nobody-called-this"))) == 1
