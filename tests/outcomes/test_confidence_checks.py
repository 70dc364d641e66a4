"""Confidence checks: recorded from the learner page, the rules on bad input, and the learner-data contract."""

import io
import json
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from inclusion.extensions import db
from inclusion.learners.access import AccessDenied
from inclusion.learners.merging import merge_learners, undo_merge
from inclusion.learners.privacy import anonymise_learner, inactive_learners
from inclusion.learners.subject_access import subject_access_export
from inclusion.outcomes import services
from inclusion.outcomes.models import ConfidenceCheck, ConfidenceQuestionSet
from tests import factories

ANSWERS = {"overall": 2, "fnd": 3, "com": None, "hic": 1, "tra": 2, "prb": None, "saf": 4}


@pytest.fixture
def place():
    partner = factories.create_partner("Libraries")
    return partner, factories.create_venue("Central Library", partner)


def _details(venue, stage="baseline", checked_on=date(2026, 9, 4), **answers):
    return services.CheckDetails(stage, checked_on, venue.id, {**ANSWERS, **answers})


def _count() -> int:
    return db.session.scalar(select(func.count(ConfidenceCheck.id)))


def _form(venue, stage="baseline", **answers) -> dict:
    values = {column: "" if value is None else str(value) for column, value in {**ANSWERS, **answers}.items()}
    day = {"checked_on": ["4", "9", "2026"]}
    return {"stage": stage, "venue_id": str(venue.id), **day, **values}


def test_a_champion_records_a_baseline_and_an_exit_and_the_learner_page_shows_the_change(client, login_as, place):
    partner, venue = place
    login_as("champion", partner=partner)
    learner = factories.create_learner(partner=partner)
    page = client.get(f"/learners/{learner.reference}/confidence/new")
    assert page.status_code == 200 and "How confident do you feel using the internet on your own?" in page.text
    assert client.post(f"/learners/{learner.reference}/confidence/new", data=_form(venue)).status_code == 302
    exit_answers = _form(venue, stage="exit", overall=4, fnd=3, hic=3)
    assert client.post(f"/learners/{learner.reference}/confidence/new", data=exit_answers).status_code == 302
    stages = db.session.execute(select(ConfidenceCheck.stage, ConfidenceCheck.overall).order_by(ConfidenceCheck.id))
    assert stages.all() == [("baseline", 2), ("exit", 4)]
    html = client.get(f"/learners/{learner.reference}").text
    assert "Change since the baseline" in html
    assert "+2" in html and "Skipped" in html  # overall 2 → 4; communicating skipped both times


@pytest.mark.parametrize("bad", ["0", "6", "7", "high"])
def test_an_answer_outside_1_to_5_is_an_error_on_the_form_and_nothing_is_written(client, login_as, place, bad):
    partner, venue = place
    login_as("coordinator")
    learner = factories.create_learner(partner=partner)
    response = client.post(f"/learners/{learner.reference}/confidence/new", data=_form(venue, overall=bad))
    assert response.status_code == 200
    assert "Choose an answer from 1 to 5, or skip the question" in response.text
    assert _count() == 0


@pytest.mark.parametrize("bad", [0, 6, -1, "3"])
def test_the_service_refuses_an_answer_outside_1_to_5(place, bad):
    partner, venue = place
    user = factories.create_user("coordinator")
    learner = factories.create_learner(partner=partner)
    with pytest.raises(services.CheckError, match="from 1 to 5"):
        services.record_check(user, learner.reference, _details(venue, saf=bad))
    assert _count() == 0


def test_a_second_baseline_is_refused_on_the_form_by_the_service_and_by_the_database(client, login_as, place):
    partner, venue = place
    user = login_as("coordinator")
    learner = factories.create_learner(partner=partner)
    services.record_check(user, learner.reference, _details(venue))
    response = client.post(f"/learners/{learner.reference}/confidence/new", data=_form(venue))
    assert response.status_code == 200 and "already has a baseline check" in response.text
    with pytest.raises(services.CheckError, match="already has a baseline"):
        services.record_check(user, learner.reference, _details(venue))
    first = db.session.scalar(select(ConfidenceCheck))
    db.session.add(
        ConfidenceCheck(
            learner_id=learner.id,
            stage="baseline",
            checked_on=date(2026, 9, 5),
            venue_id=venue.id,
            question_set_id=first.question_set_id,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert _count() == 1


def test_a_check_for_a_learner_the_champion_may_not_see_is_refused(client, login_as, place):
    partner, venue = place
    other = factories.create_partner("Elsewhere")
    champion = login_as("champion", partner=other)
    learner = factories.create_learner(partner=partner)
    assert client.get(f"/learners/{learner.reference}/confidence/new").status_code == 403
    assert client.post(f"/learners/{learner.reference}/confidence/new", data=_form(venue)).status_code == 403
    with pytest.raises(AccessDenied):
        services.record_check(champion, learner.reference, _details(venue))
    assert _count() == 0


def test_a_champion_cannot_record_a_check_at_another_partners_venue(place):
    partner, venue = place
    elsewhere = factories.create_venue("Elsewhere Hub", factories.create_partner("Elsewhere"))
    champion = factories.create_user("champion", partner=partner)
    learner = factories.create_learner(partner=partner)
    with pytest.raises(services.CheckError, match="venue you work at"):
        services.record_check(champion, learner.reference, _details(elsewhere))
    assert _count() == 0


def test_revising_the_questions_adds_a_version_and_past_checks_keep_their_wording(place):
    partner, venue = place
    admin = factories.create_user("admin")
    learner = factories.create_learner(partner=partner)
    first = services.record_check(admin, learner.reference, _details(venue))
    questions = {column: f"New wording {column}?" for column in ANSWERS}
    revised = services.revise_question_set(admin, questions)
    assert (revised.version, revised.is_current) == (2, True)
    later = services.record_check(admin, learner.reference, _details(venue, stage="exit"))
    db.session.refresh(first)
    assert first.question_set.version == 1 and first.question_set.overall.startswith("How confident")
    assert later.question_set.overall == "New wording overall?"
    assert db.session.scalar(select(func.count(ConfidenceQuestionSet.id)).where(ConfidenceQuestionSet.is_current)) == 1


def test_merging_keeps_the_earlier_baseline_and_undo_puts_both_back(place):
    partner, venue = place
    admin = factories.create_user("admin")
    keep, duplicate = factories.create_learner(partner=partner), factories.create_learner(partner=partner)
    services.record_check(admin, keep.reference, _details(venue, checked_on=date(2026, 9, 10)))
    services.record_check(admin, duplicate.reference, _details(venue, checked_on=date(2026, 9, 1), overall=1))
    services.record_check(admin, duplicate.reference, _details(venue, stage="exit", checked_on=date(2026, 9, 20)))
    event = merge_learners(keep.id, duplicate.id, acting_user_id=admin.id)
    rows = db.session.execute(
        select(ConfidenceCheck.learner_id, ConfidenceCheck.stage, ConfidenceCheck.checked_on).order_by(
            ConfidenceCheck.checked_on
        )
    ).all()
    assert rows == [
        (keep.id, "baseline", date(2026, 9, 1)),  # the duplicate's, the earlier
        (keep.id, "exit", date(2026, 9, 10)),  # the kept learner's later baseline
        (keep.id, "exit", date(2026, 9, 20)),
    ]
    undo_merge(event.id, acting_user_id=admin.id)
    rows = db.session.execute(
        select(ConfidenceCheck.learner_id, ConfidenceCheck.stage).order_by(ConfidenceCheck.checked_on)
    ).all()
    assert rows == [(duplicate.id, "baseline"), (keep.id, "baseline"), (duplicate.id, "exit")]


def test_the_subject_access_export_holds_the_answers_and_anonymising_keeps_them_without_identity(place):
    partner, venue = place
    admin = factories.create_user("admin")
    learner = factories.create_learner("Agatha", "Christie", partner=partner)
    services.record_check(admin, learner.reference, _details(venue))
    _name, content = subject_access_export(learner.reference, acting_user=admin)
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert "confidence_checks.csv" in archive.namelist()
    exported = json.loads(archive.read("learner.json"))["confidence_checks"]
    assert [(row["stage"], row["overall"], row["com"]) for row in exported] == [("baseline", 2, None)]
    anonymise_learner(learner.reference, learner.reference, acting_user=admin)
    check = db.session.scalar(select(ConfidenceCheck))
    assert (check.learner_id, check.overall, check.saf) == (learner.id, 2, 4)
    db.session.refresh(learner)
    assert "Agatha" not in (learner.first_name or "") and learner.anonymised_at is not None


def test_a_recent_check_keeps_a_learner_from_the_retention_limit(place):
    partner, venue = place
    admin = factories.create_user("admin")
    learner = factories.create_learner(partner=partner, registered_on=date(2019, 1, 1))
    assert learner.id in [row[0] for row in inactive_learners(3, today=date(2026, 10, 1))]
    services.record_check(admin, learner.reference, _details(venue, checked_on=date(2026, 9, 1)))
    assert learner.id not in [row[0] for row in inactive_learners(3, today=date(2026, 10, 1))]


def test_an_admin_revises_the_questions_on_their_page_as_a_new_version(client, login_as):
    login_as("admin")
    page = client.get("/admin/confidence-questions")
    assert page.status_code == 200 and "version 1" in page.text
    data = {column: f"Question {column}?" for column in ANSWERS}
    assert client.post("/admin/confidence-questions", data={**data, "prb": " "}).status_code == 200  # one left empty
    assert db.session.scalar(select(func.count(ConfidenceQuestionSet.id))) == 1
    assert client.post("/admin/confidence-questions", data=data).status_code == 302
    assert services.current_question_set().version == 2


def test_only_admins_may_revise_the_questions(client, login_as):
    login_as("coordinator")
    assert client.get("/admin/confidence-questions").status_code == 403


def test_a_newly_registered_learners_page_offers_the_baseline_check(client, login_as, place):
    partner, _venue = place
    login_as("champion", partner=partner)
    learner = factories.create_learner(partner=partner)
    html = client.get(f"/learners/{learner.reference}").text
    assert "No baseline check yet" in html
    assert f'href="/learners/{learner.reference}/confidence/new">Record a baseline confidence check' in html
