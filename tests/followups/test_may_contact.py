"""may_contact: asked at registration (yes by default), editable, importable, and kept through a merge."""

from datetime import date

from sqlalchemy import select

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.followups import queue
from inclusion.learners.merging import merge_learners, undo_merge
from inclusion.learners.models import Learner
from tests import factories
from tests.followups.conftest import TODAY
from tests.imports.helpers import create_sample_alliance, import_file, write


def _registration(**overrides):
    data = {
        "first_name": "Doreen",
        "last_name": "Walker",
        "lawful_basis": "consent",
        "consent_given": "y",
        "consent_method": "verbal",
        "age_band": "unknown",
    }
    return data | overrides


def _learner(name: str) -> Learner:
    db.session.expire_all()
    return db.session.scalar(select(Learner).where(Learner.first_name == name))


def test_registration_asks_with_yes_already_chosen(client, login_as):
    login_as("champion")
    page = client.get("/learners/new").get_data(as_text=True)
    assert "Can we contact them in about three months" in page
    assert 'name="may_contact" type="radio" value="yes" checked' in page


def test_a_learner_registered_without_an_answer_may_be_contacted_and_one_who_said_no_may_not(client, login_as):
    login_as("champion")
    client.post("/learners/new", data=_registration(register_anyway="1"))
    client.post("/learners/new", data=_registration(first_name="Nora", may_contact="no", register_anyway="1"))
    assert (_learner("Doreen").may_contact, _learner("Nora").may_contact) == (True, False)


def test_an_answer_that_is_not_yes_or_no_is_an_error(client, login_as):
    login_as("champion")
    page = client.post("/learners/new", data=_registration(may_contact="maybe")).get_data(as_text=True)
    assert "Choose yes if we may contact them later, or no if not" in page
    assert _learner("Doreen") is None


def test_the_edit_form_shows_the_answer_and_a_change_is_audited(client, login_as):
    user = login_as("coordinator")
    learner = factories.create_learner("Ann", "Lee")
    page = client.get(f"/learners/{learner.reference}/edit").get_data(as_text=True)
    assert 'name="may_contact" type="radio" value="yes" checked' in page
    form = _registration(first_name="Ann", last_name="Lee", may_contact="no")
    assert client.post(f"/learners/{learner.reference}/edit", data=form).status_code == 302
    assert _learner("Ann").may_contact is False
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "learner_edited"))
    assert (event.user_id, event.before["may_contact"], event.after["may_contact"]) == (user.id, True, False)
    assert "Asked not to be contacted" in client.get(f"/learners/{learner.reference}").get_data(as_text=True)


def test_the_learner_import_takes_an_optional_may_contact_column(runner, tmp_path):
    create_sample_alliance()
    rows = (
        "first_name,last_name,partner,consent,may_contact\n"
        "Ann,Lee,Stockport Libraries,yes,no\n"
        "Bob,Ray,Stockport Libraries,yes,\n"
    )
    result = import_file(runner, "learners", write(tmp_path, "learners.csv", rows))
    assert result.exit_code == 0, result.output
    assert (_learner("Ann").may_contact, _learner("Bob").may_contact) == (False, True)


def test_an_imported_may_contact_that_is_not_yes_or_no_is_a_row_error(runner, tmp_path):
    create_sample_alliance()
    rows = "first_name,last_name,partner,consent,may_contact\nAnn,Lee,Stockport Libraries,yes,perhaps\n"
    result = import_file(runner, "learners", write(tmp_path, "learners.csv", rows))
    assert result.exit_code == 1
    assert "row 2: may_contact: 'perhaps' is not yes or no (leave it empty for yes)" in result.output
    assert _learner("Ann") is None


def test_do_not_contact_on_a_duplicate_holds_for_the_learner_kept_until_the_merge_is_undone():
    partner = factories.create_partner("Reddish")
    venue = factories.create_venue("Reddish Library", partner)
    kept = factories.create_learner("Ann", "Lee", partner=partner)
    duplicate = factories.create_learner("Annie", "Lee", partner=partner, may_contact=False)
    factories.create_session(venue, date(2026, 9, 1), attendees=[kept, duplicate])
    coordinator = factories.create_user("coordinator")
    assert queue.queue_size(coordinator, partner.id, TODAY) == 1
    event = merge_learners(kept.id, duplicate.id, acting_user_id=coordinator.id)
    assert _learner("Ann").may_contact is False
    assert queue.queue_size(coordinator, partner.id, TODAY) == 0
    undo_merge(event.id, acting_user_id=coordinator.id)
    assert (_learner("Ann").may_contact, _learner("Annie").may_contact) == (True, False)


def test_the_subject_access_export_says_whether_they_may_be_contacted():
    from inclusion.learners.subject_access import collect_learner_data

    learner = factories.create_learner("Ann", "Lee", may_contact=False)
    data, _tables = collect_learner_data(learner)
    assert data["learner"]["may_contact"] is False
