"""The skills passport: what it shows in plain words, what it never shows, who may open it, and its audit."""

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.learners.merging import merge_learners
from inclusion.outcomes import passport
from inclusion.outcomes.models import ConfidenceCheck
from inclusion.outcomes.services import current_question_set
from tests import factories

TODAY = date(2026, 12, 2)  # a Wednesday
FOUNDATION = [f"FND-0{number}" for number in range(1, 10)]


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(passport, "today_in_london", lambda: TODAY)
    return TODAY


@pytest.fixture
def place():
    partner = factories.create_partner("Libraries")
    return partner, factories.create_venue("Central Library", partner, ward="Heaton Moor")


def _tuesdays(venue, weeks: int, *, attendees=(), skills=None, start=time(10, 0)):
    """Sessions on the last `weeks` Tuesdays before TODAY (1, 8, ... days back from the 1st of December)."""
    first = date(2026, 12, 1)
    return [
        factories.create_session(
            venue,
            first - timedelta(weeks=week),
            attendees=attendees,
            skills=skills if week == 0 else None,
            start_time=start,
        )
        for week in range(weeks)
    ]


def _audits(action="skills_passport_opened"):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_the_passport_lists_the_skills_in_plain_words_what_to_try_next_and_when_sessions_run(
    client, login_as, place, today
):
    partner, venue = place
    user = login_as("champion", partner=partner)
    learner = factories.create_learner(
        "Winifred",
        "Ashworth",
        partner=partner,
        date_of_birth=date(1948, 6, 14),
        postcode="SK1 3XE",
        email="winifred@example.org",
        phone="0161 496 0000",
    )
    _tuesdays(venue, 4, attendees=[learner], skills={learner: ["FND-01", "COM-03"]})

    learner_page = client.get(f"/learners/{learner.reference}").text
    assert f"/learners/{learner.reference}/passport" in learner_page and "Print a skills passport" in learner_page
    page = client.get(f"/learners/{learner.reference}/passport")

    assert page.status_code == 200
    html = page.text
    assert "Digital skills passport" in html and "Winifred Ashworth" in html and learner.reference in html
    assert "You have learned <strong>2</strong> skills so far." in html
    assert "The basics" in html and "<li>Turn on a device and sign in</li>" in html
    assert "Keeping in touch" in html and "<li>Make a video call</li>" in html
    assert "The basics: 1 of 9" in html and "Everyday life online: 1 of 5 areas started" in html
    # What to try next: the basics first, in the framework's order.
    assert "<li>Use the controls: mouse, keyboard, touchscreen</li>" in html
    assert "Central Library</strong> (Heaton Moor):" in html and "usually Tuesdays at 10am" in html
    for personal in ("14 June 1948", "1948", "SK1 3XE", "winifred@example.org", "0161 496 0000"):
        assert personal not in html, personal
    (event,) = _audits()
    assert (event.user_id, event.record_type, event.record_id) == (user.id, "learner", str(learner.id))
    assert event.details == {"skills_gained": 2}


def test_a_session_time_is_usual_once_seen_three_times_in_twelve_weeks(place):
    partner, venue = place
    _tuesdays(venue, 2)  # 10am on two Tuesdays only
    _tuesdays(venue, 3, start=time(14, 30))
    factories.create_session(venue, TODAY - timedelta(weeks=13), start_time=time(18, 0))  # too long ago
    factories.create_session(venue, TODAY - timedelta(weeks=14), start_time=time(18, 0))
    factories.create_session(venue, TODAY - timedelta(weeks=15), start_time=time(18, 0))
    assert passport.usual_sessions([venue.id], TODAY) == {venue.id: ["Tuesdays at 2.30pm"]}
    _tuesdays(venue, 3, start=time(9, 0))
    for week in range(3):  # Thursdays at no stated time
        factories.create_session(venue, date(2026, 11, 26) - timedelta(weeks=week), start_time=None)
    assert passport.usual_sessions([venue.id], TODAY) == {venue.id: ["Tuesdays at 9am and 2.30pm", "Thursdays"]}


def test_a_learner_with_the_basics_done_is_pointed_at_each_everyday_area_not_started(place):
    partner, venue = place
    learner = factories.create_learner(partner=partner)
    factories.create_session(venue, date(2026, 11, 3), attendees=[learner], skills={learner: [*FOUNDATION, "COM-01"]})
    built = passport.build_passport(learner, TODAY)
    assert built.foundation_held == 9 and built.life_skills_areas_held == 1
    assert built.next_steps == [
        "Search the web and pick good results",
        "Fill in an online form",
        "Find help online to solve a problem",
    ]


def test_a_learner_not_yet_at_a_session_sees_their_partners_open_venues(place):
    partner, venue = place
    closed = factories.create_venue("Old Library", partner)
    closed.closed_at = closed.created_at
    db.session.commit()
    learner = factories.create_learner(partner=partner)
    built = passport.build_passport(learner, TODAY)
    assert [shown.name for shown in built.venues] == ["Central Library"]
    assert built.skills_gained == 0 and built.next_steps[0] == "Turn on a device and sign in"


def test_the_passport_shows_the_change_in_overall_confidence(client, login_as, place, today):
    partner, venue = place
    login_as("coordinator")
    learner = factories.create_learner(partner=partner)
    question_set = current_question_set()
    for stage, day, overall in (("baseline", date(2026, 9, 1), 2), ("exit", date(2026, 11, 3), 4)):
        db.session.add(
            ConfidenceCheck(
                learner_id=learner.id,
                stage=stage,
                checked_on=day,
                venue_id=venue.id,
                question_set_id=question_set.id,
                overall=overall,
            )
        )
    db.session.commit()
    html = client.get(f"/learners/{learner.reference}/passport").text
    assert "<strong>2 out of 5</strong>" in html and "<strong>4 out of 5</strong>" in html


def test_a_champion_of_another_partner_may_not_open_it_and_nothing_is_audited(client, login_as, place):
    partner, _venue = place
    login_as("champion", partner=factories.create_partner("Elsewhere"))
    learner = factories.create_learner(partner=partner)
    assert client.get(f"/learners/{learner.reference}/passport").status_code == 403
    assert client.get("/learners/L-NOONE/passport").status_code == 404
    assert _audits() == []


def test_a_funder_may_not_open_a_passport(client, login_as, place):
    partner, _venue = place
    login_as("funder")
    learner = factories.create_learner(partner=partner)
    assert client.get(f"/learners/{learner.reference}/passport").status_code == 403
    assert _audits() == []


def test_a_merged_duplicates_passport_is_the_kept_learners_opened_once(client, login_as, place, today):
    partner, venue = place
    user = login_as("coordinator")
    kept = factories.create_learner("Margaret", "Hughes", partner=partner)
    duplicate = factories.create_learner("Maggie", "Hughes", partner=partner)
    factories.create_session(venue, date(2026, 11, 3), attendees=[duplicate], skills={duplicate: ["SAF-01"]})
    merge_learners(kept.id, duplicate.id, acting_user_id=user.id)

    response = client.get(f"/learners/{duplicate.reference}/passport")
    assert response.status_code == 302 and response.location.endswith(f"/learners/{kept.reference}/passport")
    html = client.get(response.location).text
    assert "Margaret Hughes" in html and "<li>Spot scams, phishing and suspicious links</li>" in html
    assert [event.record_id for event in _audits()] == [str(kept.id)]
