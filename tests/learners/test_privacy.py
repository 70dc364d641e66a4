"""Subject access exports, erasure by anonymisation and the retention job."""

import csv
import io
import json
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from inclusion.audit.models import AuditEvent
from inclusion.audit.services import record_event
from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.learners.privacy import anonymise_inactive, years_before
from inclusion.sessions.models import Attendance, LearningSession
from inclusion.timeutil import today_in_london
from tests.factories import create_learner, create_session, create_venue

PERSONAL = ("Margaret", "Hughes", "SK4 1AA", "margaret@example.org", "07700 900123")


def _margaret(**fields):
    return create_learner(
        "Margaret",
        "Hughes",
        date_of_birth=date(1948, 3, 2),
        postcode="SK4 1AA",
        email="margaret@example.org",
        phone="07700 900123",
        gender="female",
        ethnicity="white",
        disability="no",
        **fields,
    )


def _september_figures() -> tuple[int, int]:
    """(adults helped, attendances of adults) in September 2026, counted directly."""
    db.session.rollback()
    query = (
        select(
            func.count(func.distinct(func.coalesce(Learner.merged_into_id, Learner.id))),
            func.count(Attendance.id),
        )
        .select_from(Attendance)
        .join(Learner, Learner.id == Attendance.learner_id)
        .join(LearningSession, LearningSession.id == Attendance.session_id)
        .where(
            Learner.age_band != "under-18",
            LearningSession.session_date.between(date(2026, 9, 1), date(2026, 9, 30)),
        )
    )
    return tuple(db.session.execute(query).one())


def _export(client, reference: str) -> dict[str, bytes]:
    response = client.get(f"/learners/{reference}/export")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_subject_access_export_holds_the_learners_records_and_nobody_elses(client, login_as):
    login_as("coordinator")
    venue = create_venue("Central Library")
    margaret = _margaret()
    other = create_learner("Tariq", "Khan", postcode="SK1 3XE")
    create_session(
        venue, date(2026, 9, 4), attendees=[margaret, other], skills={margaret: ["FND-01"], other: ["COM-03"]}
    )
    record_event(
        "learner_updated",
        user_id=None,
        record_type="learner",
        record_id=margaret.id,
        before={"phone": None},
        after={"phone": "07700 900123"},
    )
    files = _export(client, margaret.reference)
    assert set(files) == {
        "README.txt",
        "learner.json",
        "details.csv",
        "attendance.csv",
        "skills.csv",
        "confidence_checks.csv",
        "follow_ups.csv",
        "loans.csv",
        "device_gifts.csv",
        "data_gifts.csv",
        "signposts.csv",
        "audit.csv",
    }
    data = json.loads(files["learner.json"])
    assert data["learner"]["first_name"] == "Margaret" and data["learner"]["date_of_birth"] == "1948-03-02"
    assert data["learner"]["consent_method"] == "verbal"
    assert [row["venue"] for row in data["attendance"]] == ["Central Library"]
    assert [row["code"] for row in data["skills"]] == ["FND-01"]
    assert [row["action"] for row in data["audit_entries"]] == ["learner_updated"]
    everything = b"".join(files.values()).decode()
    for trace in ("Tariq", "Khan", other.reference, "SK1 3XE", "COM-03"):
        assert trace not in everything
    rows = list(csv.DictReader(io.StringIO(files["attendance.csv"].decode())))
    assert rows[0]["session_date"] == "2026-09-04"


def test_a_subject_access_export_is_audited(client, login_as):
    user = login_as("coordinator")
    margaret = _margaret()
    _export(client, margaret.reference)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "learner_data_exported"))
    assert (event.user_id, event.record_id) == (user.id, str(margaret.id))


def test_csv_cells_in_the_export_cannot_run_as_formulas(client, login_as):
    login_as("coordinator")
    learner = create_learner('=HYPERLINK("http://x")', "+Smith")
    details = _export(client, learner.reference)["details.csv"].decode()
    assert "'=HYPERLINK" in details and "'+Smith" in details


def test_anonymising_needs_the_reference_typed_to_confirm(client, login_as):
    login_as("coordinator")
    margaret = _margaret()
    response = client.post(f"/learners/{margaret.reference}/anonymise", data={"confirmation": "L-WRONG"})
    assert response.status_code == 200
    assert f"Type the learner&#39;s reference, {margaret.reference}" in response.get_data(as_text=True)
    assert db.session.get(Learner, margaret.id).first_name == "Margaret"


def test_anonymising_erases_the_personal_fields_and_keeps_band_attendance_and_figures(client, login_as):
    login_as("coordinator")
    venue = create_venue()
    margaret = _margaret()
    create_session(venue, date(2026, 9, 4), attendees=[margaret], skills={margaret: ["FND-01"]})
    figures = _september_figures()
    response = client.post(
        f"/learners/{margaret.reference}/anonymise", data={"confirmation": margaret.reference.lower()}
    )
    assert response.status_code == 302
    db.session.rollback()
    row = db.session.get(Learner, margaret.id)
    assert (row.first_name, row.last_name, row.search_name) == ("Anonymised", "learner", "anonymised learner")
    assert [
        row.date_of_birth,
        row.postcode,
        row.email,
        row.phone,
        row.gender,
        row.ethnicity,
        row.disability,
    ] == ([None] * 7)
    assert row.age_band == "75+" and row.anonymised_at is not None
    assert _september_figures() == figures


def test_the_anonymisation_audit_entry_holds_no_erased_value_and_earlier_entries_are_scrubbed(client, login_as):
    login_as("coordinator")
    margaret = _margaret()
    record_event(
        "learner_updated",
        user_id=None,
        record_type="learner",
        record_id=margaret.id,
        before={"last_name": "Hughs"},
        after={"last_name": "Hughes", "age_band": "75+"},
    )
    db.session.commit()
    client.post(f"/learners/{margaret.reference}/anonymise", data={"confirmation": margaret.reference})
    db.session.rollback()
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.record_id == str(margaret.id))).all()
    text = json.dumps([[event.before, event.after, event.details] for event in events])
    assert "learner_anonymised" in [event.action for event in events]
    for value in (*PERSONAL, "Hughs", "1948"):
        assert value not in text
    assert "75+" in text  # what was not personal is kept


def test_after_anonymising_no_page_or_export_shows_the_erased_details(client, login_as):
    login_as("coordinator")
    margaret = _margaret(reference="L-MARG1")
    create_learner("Margaret", "Hughes", postcode="SK4 1AA")  # would pair with her on the duplicate queue
    client.post("/learners/L-MARG1/anonymise", data={"confirmation": "L-MARG1"})
    pages = [
        client.get("/learners/duplicates").get_data(as_text=True),
        client.get("/learners/L-MARG1/anonymise").get_data(as_text=True),
        b"".join(_export(client, "L-MARG1").values()).decode(),
    ]
    for page in pages:
        for value in ("SK4 1AA", "margaret@example.org", "07700 900123", "1948-03-02"):
            assert value not in page
    assert "Hughes" not in pages[2] and "were erased" in pages[1]
    assert margaret.reference in pages[2]


@pytest.mark.parametrize("role", ["champion", "funder"])
def test_champions_and_funders_cannot_export_or_anonymise(client, login_as, role):
    margaret = _margaret()
    login_as(role)
    assert client.get(f"/learners/{margaret.reference}/export").status_code == 403
    assert client.get(f"/learners/{margaret.reference}/anonymise").status_code == 403
    response = client.post(f"/learners/{margaret.reference}/anonymise", data={"confirmation": margaret.reference})
    assert response.status_code == 403
    assert db.session.get(Learner, margaret.id).first_name == "Margaret"


def _retention_cast():
    """Dates relative to today, so the test means the same whenever it runs."""
    today = today_in_london()
    venue = create_venue()
    old = create_learner("Old", "Attender", registered_on=years_before(today, 6))
    recent = create_learner("Recent", "Attender", registered_on=years_before(today, 6))
    never_old = create_learner("Never", "Came", registered_on=years_before(today, 4))
    never_new = create_learner("Just", "Registered", registered_on=years_before(today, 1))
    create_session(venue, years_before(today, 4), attendees=[old, recent])
    create_session(venue, years_before(today, 1), attendees=[recent])
    return old, recent, never_old, never_new


def test_the_retention_job_anonymises_learners_with_no_attendance_for_n_years():
    old, recent, never_old, never_new = _retention_cast()
    found = anonymise_inactive(3)
    assert sorted(reference for _, reference, _ in found) == sorted([old.reference, never_old.reference])
    db.session.rollback()
    names = dict(db.session.execute(select(Learner.id, Learner.first_name)).all())
    assert names == {
        old.id: "Anonymised",
        recent.id: "Recent",
        never_old.id: "Anonymised",
        never_new.id: "Just",
    }


def test_the_retention_command_prints_what_it_did_and_a_dry_run_changes_nothing(app, runner):
    old, recent, never_old, _ = _retention_cast()
    dry = runner.invoke(args=["learners", "anonymise-inactive", "--years", "3", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would anonymise 2 learners" in dry.output and old.reference in dry.output
    db.session.rollback()
    assert db.session.scalar(select(func.count()).where(Learner.anonymised_at.is_not(None))) == 0
    app.config["RETENTION_YEARS"] = 7
    try:
        result = runner.invoke(args=["learners", "anonymise-inactive"])  # default from the setting
    finally:
        app.config["RETENTION_YEARS"] = 3
    assert result.exit_code == 0, result.output
    assert "Anonymised 0 learners with no attendance in 7 years" in result.output
    result = runner.invoke(args=["learners", "anonymise-inactive", "--years", "3"])
    last = years_before(today_in_london(), 4).isoformat()
    assert "Anonymised 2 learners" in result.output and f"last attended: {last}" in result.output
    bad = runner.invoke(args=["learners", "anonymise-inactive", "--years", "0"])
    assert bad.exit_code == 1 and "Error:" in bad.output


def test_the_retention_command_does_nothing_and_succeeds_while_another_host_runs_it(app, runner):
    import threading

    from inclusion.learners.retention_cli import RETENTION_LOCK
    from inclusion.locks import advisory_lock

    _retention_cast()
    outcome = {}

    def other_host():
        with app.app_context():
            outcome["result"] = runner.invoke(args=["learners", "anonymise-inactive", "--years", "3"])

    with advisory_lock(RETENTION_LOCK):
        thread = threading.Thread(target=other_host)
        thread.start()
        thread.join(60)

    assert outcome["result"].exit_code == 0, outcome["result"].output
    assert "Another process is running the retention job now; nothing to do." in outcome["result"].output
    db.session.rollback()
    assert db.session.scalar(select(func.count()).where(Learner.anonymised_at.is_not(None))) == 0
