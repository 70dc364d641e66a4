"""A learner's fields follow the same rules whether typed in the form, passed to the services or imported."""

import dataclasses
from datetime import date

import pytest
from sqlalchemy import select

from inclusion.extensions import db
from inclusion.imports import learner_rows
from inclusion.learners import rules, subject_access
from inclusion.learners.forms import LearnerForm
from inclusion.learners.models import Learner
from inclusion.learners.services import LearnerDetails, LearnerError, register_learner
from tests import factories
from tests.imports.helpers import create_sample_alliance, import_file, row_counts, write

HEADER = "first_name,last_name,partner,consent,date_of_birth,age_band,email,ethnicity,disability\n"
ESCAPE = "\x1b[2J\x1b[31m"


def _import(runner, tmp_path, *rows: str):
    create_sample_alliance()
    return import_file(runner, "learners", write(tmp_path, "learners.csv", HEADER + "".join(rows)))


def _stored() -> list[Learner]:
    db.session.rollback()
    return db.session.scalars(select(Learner).order_by(Learner.id)).all()


def _form(**overrides):
    data = {
        "first_name": "Doreen",
        "last_name": "Walker",
        "lawful_basis": "consent",
        "consent_given": "y",
        "consent_method": "verbal",
        "age_band": "unknown",
    }
    return data | overrides


def test_an_imported_email_is_lower_cased_as_on_the_web(runner, tmp_path, client, login_as):
    result = _import(runner, tmp_path, "Ann,Lee,Stockport Libraries,yes,,,Ann.Lee@Example.ORG,,\n")
    assert result.exit_code == 0, result.output
    login_as("champion")
    client.post("/learners/new", data=_form(email="Doreen.W@Example.ORG"))
    assert [learner.email for learner in _stored()] == ["ann.lee@example.org", "doreen.w@example.org"]


def test_an_imported_email_is_checked_as_on_the_web(runner, tmp_path):
    result = _import(runner, tmp_path, "Ann,Lee,Stockport Libraries,yes,,,ann@@example.org,,\n")
    assert "row 2: email: Enter an email address like name@example.com" in result.output


def test_an_imported_name_holding_a_terminal_escape_is_refused_and_never_echoed(runner, tmp_path):
    before = row_counts()
    result = _import(runner, tmp_path, f"Ann{ESCAPE},Lee,Stockport{ESCAPE},yes,,,,,\n")
    assert result.exit_code == 1
    assert "row 2: first_name: Remove the invisible control characters from this answer" in result.output
    assert "row 2: partner: Remove the invisible control characters from this answer" in result.output
    assert "row 2: partner: is required" not in result.output
    assert "\x1b" not in result.output
    assert row_counts() == before


def test_the_services_refuse_control_characters_and_a_bad_email_as_the_form_does(app):
    champion = factories.create_user("champion")
    details = LearnerDetails("Ann", f"Lee{ESCAPE}", lawful_basis="public-task")
    with pytest.raises(LearnerError, match="Remove the invisible control characters") as error:
        register_learner(champion, details)
    assert error.value.field == "last_name"
    with pytest.raises(LearnerError, match="Enter an email address like name@example.com"):
        register_learner(champion, dataclasses.replace(details, last_name="Lee", email="not an address"))
    assert _stored() == []


def test_an_edit_refuses_a_date_of_birth_after_the_registration_date(client, login_as):
    champion = login_as("champion")
    learner = factories.create_learner(partner=champion.partner, registered_on=date(2026, 9, 1))
    page = client.post(f"/learners/{learner.reference}/edit", data=_form(date_of_birth=["2", "9", "2026"])).get_data(
        as_text=True
    )
    assert "Date of birth must be on or before the registration date, 1 September 2026" in page
    assert _stored()[0].date_of_birth is None


def test_a_date_of_birth_before_1900_is_refused_in_the_same_words_everywhere(runner, tmp_path, client, login_as):
    result = _import(runner, tmp_path, "Ann,Lee,Stockport Libraries,yes,1850-01-01,,,,\n")
    assert "row 2: date_of_birth: Enter a date of birth after 1900" in result.output
    login_as("champion")
    page = client.post("/learners/new", data=_form(date_of_birth=["1", "1", "1850"])).get_data(as_text=True)
    assert "Enter a date of birth after 1900" in page


def test_in_an_import_a_date_of_birth_decides_the_age_band_as_on_the_web(runner, tmp_path):
    result = _import(runner, tmp_path, "Ann,Lee,Stockport Libraries,yes,1948-03-02,18-24,,,\n")
    assert result.exit_code == 0, result.output
    assert _stored()[0].age_band == "75+"


def test_ethnicity_and_disability_can_be_imported_with_the_forms_answers(runner, tmp_path):
    result = _import(runner, tmp_path, "Ann,Lee,Stockport Libraries,yes,,,,White, Yes \n")
    assert result.exit_code == 0, result.output
    assert (_stored()[0].ethnicity, _stored()[0].disability) == ("white", "yes")


def test_the_learner_fields_are_written_down_once_and_every_door_uses_them(app):
    assert learner_rows.COLUMNS[1 : 1 + len(rules.TYPED_FIELDS)] == rules.TYPED_FIELDS
    assert ("reference", *rules.TYPED_FIELDS, *rules.RECORD_FIELDS) == subject_access.DETAIL_FIELDS
    details_fields = tuple(field.name for field in dataclasses.fields(LearnerDetails))
    assert details_fields[: len(rules.TYPED_FIELDS)] == rules.TYPED_FIELDS
    with app.test_request_context():
        assert set(rules.TYPED_FIELDS) <= {field.name for field in LearnerForm()}
    assert set(rules.TYPED_FIELDS) | {"reference"} <= set(Learner.__table__.columns.keys())
