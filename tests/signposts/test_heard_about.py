"""heard_about: asked (optionally) at registration, editable, and an optional column of the learner import."""

from sqlalchemy import select

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.imports import learner_rows
from inclusion.learners.models import Learner
from inclusion.learners.rules import TYPED_FIELDS
from tests import factories


def _registration(partner_id=None, **fields):
    return {
        "first_name": "Margaret",
        "last_name": "Hughes",
        "age_band": "65-74",
        "lawful_basis": "consent",
        "consent_given": "y",
        "consent_method": "verbal",
        "register_anyway": "1",
        **fields,
    }


def test_registration_asks_how_they_heard_about_us_and_keeps_the_answer(client, login_as):
    partner = factories.create_partner()
    login_as("champion", partner=partner)
    page = client.get("/learners/new").text
    assert "How did they hear about us? (optional)" in page and "A GP or social prescriber" in page
    assert client.post("/learners/new", data=_registration(heard_about="gp-or-social-prescriber")).status_code == 302
    learner = db.session.scalar(select(Learner))
    assert learner.heard_about == "gp-or-social-prescriber"
    assert "A GP or social prescriber" in client.get(f"/learners/{learner.reference}").text


def test_the_question_may_be_left_unanswered_and_an_unknown_answer_is_refused(client, login_as):
    partner = factories.create_partner()
    login_as("champion", partner=partner)
    assert client.post("/learners/new", data=_registration()).status_code == 302
    assert db.session.scalar(select(Learner.heard_about)) is None
    response = client.post("/learners/new", data=_registration(heard_about="the radio", last_name="Other"))
    assert response.status_code == 200 and "govuk-error-summary" in response.text


def test_heard_about_is_editable_and_the_change_is_audited(client, login_as):
    partner = factories.create_partner()
    login_as("champion", partner=partner)
    learner = factories.create_learner(partner=partner, heard_about="council")
    data = _registration(heard_about="jobcentre", age_band=learner.age_band)
    assert client.post(f"/learners/{learner.reference}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Learner, learner.id).heard_about == "jobcentre"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "learner_edited"))
    assert event.before["heard_about"] == "council" and event.after["heard_about"] == "jobcentre"


def test_the_import_takes_heard_about_as_an_optional_column_from_the_one_list_of_fields(runner, tmp_path):
    factories.create_partner("Libraries")
    assert "heard_about" in TYPED_FIELDS and "heard_about" in learner_rows.COLUMNS
    path = tmp_path / "learners.csv"
    path.write_text(
        "first_name,last_name,age_band,consent,partner,heard_about\n"
        "Ann,Able,25-34,yes,Libraries,Jobcentre\n"
        "Bob,Bell,45-54,yes,Libraries,\n"
    )
    result = runner.invoke(args=["import", "learners", str(path)])
    assert result.exit_code == 0, result.output
    rows = db.session.execute(select(Learner.first_name, Learner.heard_about).order_by(Learner.first_name))
    assert rows.all() == [("Ann", "jobcentre"), ("Bob", None)]


def test_the_import_lists_an_unknown_heard_about_as_a_row_error(runner, tmp_path):
    factories.create_partner("Libraries")
    path = tmp_path / "learners.csv"
    path.write_text("first_name,last_name,consent,partner,heard_about\nAnn,Able,yes,Libraries,the radio\n")
    result = runner.invoke(args=["import", "learners", str(path)])
    assert result.exit_code == 1
    assert "row 2: heard_about: 'the radio' is not one of gp-or-social-prescriber" in result.output
    assert db.session.scalar(select(Learner.id)) is None
