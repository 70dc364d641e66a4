"""Logging a session: the happy path, every bad input, and no double entry on a flaky connection."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.sessions import services
from inclusion.sessions.models import Attendance, LearningSession, SkillAchievement
from inclusion.timeutil import today_in_london
from tests import factories
from tests.sessions.helpers import session_form


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def champion(login_as):
    return login_as("champion")


@pytest.fixture
def venue(champion):
    return factories.create_venue("Central Library", partner=champion.partner)


def test_the_form_starts_with_today_and_the_champions_venue(client, champion, venue):
    page = client.get("/sessions/new").get_data(as_text=True)
    today = today_in_london()
    assert f'name="session_date" type="text" value="{today.strftime("%d")}"' in page
    assert f'<option value="{venue.id}" selected>Central Library</option>' in page
    assert 'name="idempotency_key" type="hidden" value="' in page


def test_a_champion_logs_a_session_with_attendees_and_skills(client, champion, venue):
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    bob = factories.create_learner("Bob", "Hall", partner=champion.partner)
    response = client.post(
        "/sessions/new",
        data=session_form(
            venue,
            attendees=[ann, bob],
            skills={ann: ["FND-01", "COM-01"], bob: ["SAF-01"]},
            unregistered_attendees="2",
            notes="Busy morning",
        ),
    )
    assert response.status_code == 302
    learning_session = db.session.scalar(select(LearningSession))
    assert response.headers["Location"].endswith(f"/sessions/{learning_session.id}")
    assert (learning_session.session_date, learning_session.duration_minutes) == (date(2026, 9, 4), 90)
    assert (learning_session.unregistered_attendees, learning_session.notes) == (2, "Busy morning")
    assert learning_session.champions == [champion]
    assert learning_session.created_by_id == champion.id
    assert _count(Attendance) == 2
    achieved = db.session.execute(select(SkillAchievement.learner_id, SkillAchievement.session_id)).all()
    assert sorted(achieved) == sorted([(ann.id, learning_session.id)] * 2 + [(bob.id, learning_session.id)])
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "session_logged"))
    assert event.after["attendees"] == sorted([ann.id, bob.id])


def test_only_unregistered_people_is_still_a_session(client, champion, venue):
    response = client.post("/sessions/new", data=session_form(venue, unregistered_attendees="3"))
    assert response.status_code == 302
    assert db.session.scalar(select(LearningSession.unregistered_attendees)) == 3


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"duration_minutes": "0"}, "Duration must be between 1 and 600 minutes"),
        ({"duration_minutes": "601"}, "Duration must be between 1 and 600 minutes"),
        ({"duration_minutes": "an hour"}, "Duration must be between 1 and 600 minutes"),
        ({"duration_minutes": ""}, "Enter how long the session lasted"),
        ({"venue_id": "99999"}, "Choose a venue from the list"),
        ({"venue_id": "nowhere"}, "Choose a venue from the list"),
        ({"start_time": "25:00"}, "Enter a start time like 10:30"),
        ({"session_date": ["31", "2", "2026"]}, "Date must be a real date"),
        ({"session_date": ["", "", ""]}, "Enter the date of the session"),
        ({"unregistered_attendees": "-1"}, "Enter a whole number from 0 to 1000"),
        ({"unregistered_attendees": "0"}, "Add at least one attendee"),
    ],
)
def test_bad_inputs_are_refused_with_a_message_and_nothing_saved(client, champion, venue, overrides, message):
    data = session_form(venue, notes="Keep me", **overrides)
    response = client.post("/sessions/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert "Keep me" in page
    assert _count(LearningSession) == 0


def test_a_future_date_is_refused(client, champion, venue):
    ann = factories.create_learner(partner=champion.partner)
    tomorrow = today_in_london() + timedelta(days=1)
    page = client.post("/sessions/new", data=session_form(venue, on=tomorrow, attendees=[ann])).get_data(as_text=True)
    assert "The date of the session must be today or in the past" in page
    assert _count(LearningSession) == 0


def test_a_venue_of_another_partner_is_refused(client, champion, venue):
    ann = factories.create_learner(partner=champion.partner)
    elsewhere = factories.create_venue("Age Friendly Hub")
    page = client.post("/sessions/new", data=session_form(elsewhere, attendees=[ann])).get_data(as_text=True)
    assert "Choose one of your partner&#39;s venues" in page
    assert _count(LearningSession) == 0


def test_a_closed_venue_is_refused(client, champion, venue):
    ann = factories.create_learner(partner=champion.partner)
    closed = factories.create_venue("Old Library", partner=champion.partner)
    closed.closed_at = today_in_london()
    db.session.commit()
    assert "Old Library" not in client.get("/sessions/new").get_data(as_text=True)
    page = client.post("/sessions/new", data=session_form(closed, attendees=[ann])).get_data(as_text=True)
    assert "Old Library has closed" in page
    assert _count(LearningSession) == 0


def test_a_learner_the_champion_may_not_see_cannot_be_added(client, champion, venue):
    stranger = factories.create_learner("Cat", "Wood")  # another partner's learner
    page = client.post("/sessions/new", data=session_form(venue, attendees=[stranger])).get_data(as_text=True)
    assert "There is a problem" in page
    assert "Cat Wood" not in page
    assert _count(LearningSession) == 0


def test_an_unknown_skill_is_refused(client, champion, venue):
    ann = factories.create_learner(partner=champion.partner)
    page = client.post("/sessions/new", data=session_form(venue, attendees=[ann], skills={ann: ["XYZ-99"]}))
    assert "Unknown skill: XYZ-99" in page.get_data(as_text=True)
    assert _count(LearningSession) == 0


def test_a_form_submitted_twice_stores_one_session_and_lands_on_it(client, champion, venue):
    ann = factories.create_learner(partner=champion.partner)
    data = session_form(venue, attendees=[ann], skills={ann: ["FND-01"]})
    first = client.post("/sessions/new", data=data)
    second = client.post("/sessions/new", data=data)
    assert _count(LearningSession) == 1
    assert _count(Attendance) == 1 and _count(SkillAchievement) == 1
    assert second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]


def test_a_simultaneous_double_submit_is_stopped_by_the_database(monkeypatch):
    champion = factories.create_user("champion")
    venue = factories.create_venue(partner=champion.partner)
    details = services.SessionDetails(
        session_date=date(2026, 9, 4), venue_id=venue.id, duration_minutes=60, unregistered_attendees=1
    )
    first, created = services.record_session(champion, details, "same-key")
    # The second request checked for the key before the first one committed.
    real_find = services.find_by_idempotency_key
    calls = iter([None])
    monkeypatch.setattr(services, "find_by_idempotency_key", lambda key: next(calls, None) or real_find(key))
    again, created_again = services.record_session(champion, details, "same-key")
    assert (created, created_again) == (True, False)
    assert again.id == first.id
    assert _count(LearningSession) == 1


def test_funders_cannot_log_sessions(client, login_as):
    login_as("funder")
    assert client.get("/sessions/new").status_code == 403
    assert client.get("/sessions/").status_code == 403


def test_an_unknown_session_type_says_what_to_do(client, champion, venue):
    page = client.post("/sessions/new", data=session_form(venue, unregistered_attendees="1", session_type="lecture"))
    assert "Choose the type of session" in page.get_data(as_text=True)
    assert _count(LearningSession) == 0


def test_a_post_missing_most_fields_gets_messages_not_an_error(client, champion, venue):
    response = client.post("/sessions/new", data={"action": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter the date of the session" in page
    assert "Choose a venue from the list" in page
