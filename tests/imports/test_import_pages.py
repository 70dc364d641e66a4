"""The coordinators' import page: upload, preview and problems, then confirm."""

import io

import pytest
from sqlalchemy import func, select

from inclusion.extensions import db
from inclusion.imports.models import ImportUpload
from tests.imports.helpers import LEARNERS_SAMPLE, create_sample_alliance, row_counts


def _upload(client, content: str | bytes, kind: str = "learners", name: str = "learners.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(
        "/imports/", data={"kind": kind, "file": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def test_a_coordinator_sees_a_preview_and_the_counts_before_anything_is_written(client, login_as):
    create_sample_alliance()
    login_as("coordinator")
    before = row_counts()
    response = _upload(client, LEARNERS_SAMPLE)
    assert response.status_code == 302
    preview = client.get(response.headers["Location"])
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Margaret" in page and "Learners added" in page and "Import 6 rows" in page
    assert row_counts() == before
    assert db.session.scalar(select(func.count(ImportUpload.id))) == 1  # kept in the database for any worker


def test_confirming_the_preview_imports_the_file_and_forgets_the_upload(client, login_as):
    create_sample_alliance()
    login_as("coordinator")
    location = _upload(client, LEARNERS_SAMPLE).headers["Location"]
    response = client.post(location)
    assert response.status_code == 302
    assert row_counts()["learners"] == 6
    assert db.session.scalar(select(func.count(ImportUpload.id))) == 0
    assert "Imported 6 rows" in client.get("/imports/").get_data(as_text=True)
    assert client.post(location).status_code == 404  # a second confirm cannot import it again


def test_a_file_with_problems_lists_them_by_row_and_column_and_cannot_be_confirmed(client, login_as):
    create_sample_alliance()
    login_as("coordinator")
    rows = "first_name,last_name,partner,consent\nAnn,,Stockport Libraries,yes\nBob,Lee,Nowhere,yes\n"
    location = _upload(client, rows).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert "2 problems to fix" in page
    assert "no partner called &#39;Nowhere&#39;" in page and ">last_name<" in page
    assert "Import 2 rows" not in page
    before = row_counts()
    client.post(location)
    assert row_counts() == before


def test_an_unreadable_file_is_an_error_on_the_upload_form(client, login_as):
    login_as("coordinator")
    response = _upload(client, b"", name="empty.csv")
    assert response.status_code == 200
    assert "The file is empty" in response.get_data(as_text=True)
    response = _upload(client, b"\x89PNG\x00", name="photo.png")
    assert "not a CSV or XLSX" in response.get_data(as_text=True)


def test_the_upload_form_says_what_is_missing(client, login_as):
    login_as("coordinator")
    page = client.post("/imports/", data={}, content_type="multipart/form-data").get_data(as_text=True)
    assert "Choose learners or attendance" in page and "Choose the spreadsheet to upload" in page


def test_another_coordinator_cannot_see_or_confirm_someone_elses_upload(client, login_as):
    create_sample_alliance()
    login_as("coordinator")
    location = _upload(client, LEARNERS_SAMPLE).headers["Location"]
    client.post("/logout")
    login_as("coordinator")
    assert client.get(location).status_code == 404
    assert client.post(location).status_code == 404
    assert row_counts()["learners"] == 0


def test_discarding_an_upload_deletes_it(client, login_as):
    create_sample_alliance()
    login_as("coordinator")
    location = _upload(client, LEARNERS_SAMPLE).headers["Location"]
    client.post(location + "/cancel")
    assert db.session.scalar(select(func.count(ImportUpload.id))) == 0
    assert row_counts()["learners"] == 0


@pytest.mark.parametrize("role", ["champion", "funder"])
def test_champions_and_funders_cannot_reach_the_import_page(client, login_as, role):
    login_as(role)
    assert client.get("/imports/").status_code == 403
    assert _upload(client, LEARNERS_SAMPLE).status_code == 403
    assert client.get("/imports/sometoken").status_code == 403


def test_the_import_page_lists_recent_imports_with_their_counts(client, login_as):
    create_sample_alliance()
    login_as("coordinator", name="Chris Coordinator")
    client.post(_upload(client, LEARNERS_SAMPLE).headers["Location"])
    page = client.get("/imports/").get_data(as_text=True)
    assert "Recent imports" in page and "learners.csv" in page and "by Chris Coordinator" in page
    assert "6 learners added" in page


def test_an_xlsx_upload_previews_like_its_csv(client, login_as):
    from tests.imports.test_import_formats_and_scale import _xlsx

    create_sample_alliance()
    login_as("coordinator")
    location = _upload(client, _xlsx(LEARNERS_SAMPLE), name="learners.xlsx").headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert "Import 6 rows" in page and "1948-03-02" in page


@pytest.mark.parametrize(
    "path",
    [
        "/imports/",
        "/learners/duplicates",
        "/admin/audit",
        "/learners/L-0001/export",
        "/learners/L-0001/anonymise",
    ],
)
def test_signed_out_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
