"""An upload is parsed once and kept as its rows for 24 hours at most, then never served and deleted."""

import io
from datetime import datetime, timedelta

from openpyxl import Workbook
from sqlalchemy import func, select

from inclusion.extensions import db
from inclusion.imports.models import ImportUpload
from inclusion.imports.parsing import Table
from inclusion.imports.uploads import purge_expired_uploads, store_upload
from inclusion.learners.models import Learner
from inclusion.learners.privacy import anonymise_learner
from tests.factories import create_learner, create_user
from tests.imports.helpers import LEARNERS_SAMPLE, create_sample_alliance, row_counts

T0 = datetime(2026, 12, 1, 9, 0)


def _upload(client, content: str | bytes, name: str = "learners.csv") -> str:
    data = content.encode() if isinstance(content, str) else content
    response = client.post(
        "/imports/", data={"kind": "learners", "file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def _uploads() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(ImportUpload.id)))


def _age_every_upload(hours: int) -> None:
    """As if every upload had been made `hours` earlier."""
    for upload in db.session.scalars(select(ImportUpload)):
        upload.created_at -= timedelta(hours=hours)
    db.session.commit()


def test_the_preview_and_the_confirmation_use_the_rows_parsed_at_upload_not_the_file(
    client, login_as, monkeypatch, app
):
    create_sample_alliance()
    login_as("coordinator")
    location = _upload(client, LEARNERS_SAMPLE)
    # Were the file read again, a 10-byte limit would refuse it now.
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 10)
    preview = client.get(location)
    assert preview.status_code == 200 and "Import 6 rows" in preview.get_data(as_text=True)
    assert client.post(location).status_code == 302
    assert row_counts()["learners"] == 6


def test_an_upload_keeps_only_the_rows_of_its_first_sheet_not_the_file(client, login_as):
    create_sample_alliance()
    login_as("coordinator")
    workbook = Workbook()
    workbook.active.append(["first_name", "last_name", "partner", "consent"])
    workbook.active.append(["Ann", "Lee", "Stockport Libraries", "yes"])
    workbook.create_sheet("Private notes").append(["Ann's home address: 1 Secret Street"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _upload(client, buffer.getvalue(), name="learners.xlsx")
    stored = db.session.scalar(select(ImportUpload))
    assert b"Secret Street" not in stored.parsed_table
    assert not hasattr(stored, "content")


def test_an_expired_upload_is_never_served_and_is_deleted_when_asked_for(client, login_as):
    create_sample_alliance()
    login_as("coordinator")
    location = _upload(client, LEARNERS_SAMPLE)
    _age_every_upload(25)
    response = client.get(location)
    assert response.status_code == 410
    page = response.get_data(as_text=True)
    assert "This upload has expired" in page and "Upload the file again" in page and "Margaret" not in page
    assert _uploads() == 0
    again = client.post(location)
    assert again.status_code == 404 and "This upload is no longer available" in again.get_data(as_text=True)
    assert row_counts()["learners"] == 0


def test_confirming_an_upload_that_expired_on_its_preview_page_imports_nothing(client, login_as):
    create_sample_alliance()
    login_as("coordinator")
    location = _upload(client, LEARNERS_SAMPLE)
    assert client.get(location).status_code == 200
    _age_every_upload(24)
    response = client.post(location)
    assert response.status_code == 410 and "This upload has expired" in response.get_data(as_text=True)
    assert row_counts()["learners"] == 0 and _uploads() == 0


def test_an_abandoned_upload_is_gone_after_its_expiry(db):
    user = create_user(role="coordinator")
    store_upload("learners", Table(columns=["first_name"], rows=[(2, {"first_name": "Ann"})]), "a.csv", user.id, now=T0)
    assert purge_expired_uploads(now=T0 + timedelta(hours=23, minutes=59)) == 0
    assert _uploads() == 1
    assert purge_expired_uploads(now=T0 + timedelta(hours=24, seconds=1)) == 1
    assert _uploads() == 0


def test_the_scheduled_purge_command_deletes_expired_uploads_and_keeps_recent_ones(client, login_as, runner):
    create_sample_alliance()
    login_as("coordinator")
    _upload(client, LEARNERS_SAMPLE)
    _upload(client, LEARNERS_SAMPLE)
    db.session.scalars(select(ImportUpload).order_by(ImportUpload.id)).first().created_at -= timedelta(hours=30)
    db.session.commit()
    dry = runner.invoke(args=["import", "purge-expired", "--dry-run"])
    assert dry.exit_code == 0 and "Would delete 1 uploaded spreadsheets" in dry.output
    assert _uploads() == 2
    result = runner.invoke(args=["import", "purge-expired"])
    assert result.exit_code == 0 and "Deleted 1 uploaded spreadsheets older than 24 hours" in result.output
    assert _uploads() == 1


def test_the_retention_command_deletes_expired_uploads_too(client, login_as, runner):
    create_sample_alliance()
    login_as("coordinator")
    _upload(client, LEARNERS_SAMPLE)
    _age_every_upload(25)
    result = runner.invoke(args=["learners", "anonymise-inactive", "--years", "3"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 expired uploaded spreadsheets" in result.output
    assert _uploads() == 0


def test_anonymising_a_learner_deletes_every_upload_awaiting_confirmation(client, login_as):
    libraries = create_sample_alliance()
    coordinator = login_as("coordinator")
    margaret = create_learner("Margaret", "Hughes", partner=libraries)
    location = _upload(client, LEARNERS_SAMPLE)
    anonymise_learner(margaret.reference, margaret.reference, acting_user=coordinator)
    assert _uploads() == 0
    assert client.get(location).status_code == 404
    assert db.session.scalar(select(func.count(Learner.id))) == 1
