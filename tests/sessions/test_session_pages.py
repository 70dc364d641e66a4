"""The sessions list and page; correcting and deleting a session, by whom, and the audit trail."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.sessions.models import Attendance, LearningSession, SkillAchievement, session_champions
from inclusion.timeutil import utcnow
from tests import factories
from tests.sessions.helpers import session_form


@pytest.fixture
def champion(login_as):
    return login_as("champion")


@pytest.fixture
def venue(champion):
    return factories.create_venue("Central Library", partner=champion.partner)


def _logged_by(user, venue, attendees=(), **fields):
    learning_session = factories.create_session(venue, attendees=list(attendees), created_by=user, **fields)
    db.session.execute(session_champions.insert().values(session_id=learning_session.id, user_id=user.id))
    db.session.commit()
    return learning_session


def test_the_session_page_shows_attendees_and_their_skills(client, champion, venue):
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    factories.create_session(venue, date(2026, 8, 1), attendees=[ann], skills={ann: ["FND-01"]})
    later = factories.create_session(venue, date(2026, 9, 4), attendees=[ann], skills={ann: ["FND-01", "COM-03"]})
    page = client.get(f"/sessions/{later.id}").get_data(as_text=True)
    assert "Ann Walker" in page
    assert "COM-03 make a video call" in page
    assert page.count("gained before") == 1  # FND-01 counted at the August session


def test_the_session_page_takes_the_same_number_of_queries_for_1_or_20_attendees(
    client, champion, venue, count_queries
):
    few = [factories.create_learner(partner=champion.partner)]
    small = factories.create_session(venue, attendees=few, skills={few[0]: ["FND-01"]})
    many = [factories.create_learner(partner=champion.partner) for _ in range(20)]
    large = factories.create_session(venue, attendees=many, skills={learner: ["FND-01", "COM-01"] for learner in many})
    with count_queries() as one:
        assert client.get(f"/sessions/{small.id}").status_code == 200
    with count_queries() as twenty:
        assert client.get(f"/sessions/{large.id}").status_code == 200
    assert twenty.count == one.count


def test_a_champion_of_another_partner_cannot_open_the_session(client, login_as):
    venue = factories.create_venue()
    learning_session = factories.create_session(venue, attendees=[factories.create_learner()])
    login_as("champion")
    assert client.get(f"/sessions/{learning_session.id}").status_code == 403


def test_an_unknown_session_is_not_found(client, champion):
    assert client.get("/sessions/9999").status_code == 404


def test_the_list_filters_by_venue_dates_and_champion(client, champion, venue):
    other_venue = factories.create_venue("Reddish Library", partner=champion.partner)
    colleague = factories.create_user("champion", partner=champion.partner)
    _logged_by(champion, venue, session_date=date(2026, 9, 1), unregistered_attendees=1)
    _logged_by(colleague, other_venue, session_date=date(2026, 9, 10), unregistered_attendees=1)
    _logged_by(champion, other_venue, session_date=date(2026, 10, 5), unregistered_attendees=1)
    factories.create_session(factories.create_venue("Elsewhere"), date(2026, 9, 2))  # another partner's
    assert "3 sessions" in client.get("/sessions/").get_data(as_text=True)
    assert "2 sessions" in client.get(f"/sessions/?venue={other_venue.id}").get_data(as_text=True)
    assert "2 sessions" in client.get("/sessions/?from=1/9/2026&to=30/9/2026").get_data(as_text=True)
    assert "1 session<" in client.get(f"/sessions/?champion={colleague.id}").get_data(as_text=True)


def test_the_list_says_when_a_date_filter_was_not_understood(client, champion, venue):
    page = client.get("/sessions/?from=yesterday").get_data(as_text=True)
    assert "A date was not understood" in page


def test_the_champion_who_logged_it_can_correct_it_and_the_change_is_audited(client, champion, venue):
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    client.post("/sessions/new", data=session_form(venue, attendees=[ann], skills={ann: ["FND-01"]}))
    learning_session = db.session.scalar(select(LearningSession))
    form = client.get(f"/sessions/{learning_session.id}/edit").get_data(as_text=True)
    assert 'value="90"' in form and f'name="attendee" value="{ann.id}"' in form
    response = client.post(
        f"/sessions/{learning_session.id}/edit",
        data=session_form(
            venue,
            attendees=[ann],
            skills={ann: ["FND-01", "COM-01"]},
            duration_minutes="120",
            idempotency_key="",
        ),
    )
    assert response.headers["Location"].endswith(f"/sessions/{learning_session.id}")
    db.session.refresh(learning_session)
    assert learning_session.duration_minutes == 120
    assert db.session.scalar(select(func.count(SkillAchievement.id))) == 2
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "session_edited"))
    assert event.before == {"duration_minutes": 90, "skills": {str(ann.id): ["FND-01"]}}
    assert event.after == {"duration_minutes": 120, "skills": {str(ann.id): ["COM-01", "FND-01"]}}


def test_a_bad_correction_is_refused_and_nothing_changes(client, champion, venue):
    learning_session = _logged_by(champion, venue, unregistered_attendees=1)
    page = client.post(
        f"/sessions/{learning_session.id}/edit",
        data=session_form(venue, unregistered_attendees="1", duration_minutes="601"),
    )
    assert "Duration must be between 1 and 600 minutes" in page.get_data(as_text=True)
    db.session.refresh(learning_session)
    assert learning_session.duration_minutes == 60


def test_after_14_days_the_champion_can_no_longer_change_it(client, champion, venue):
    learning_session = _logged_by(champion, venue, unregistered_attendees=1)
    learning_session.created_at = utcnow() - timedelta(days=15)
    db.session.commit()
    assert client.get(f"/sessions/{learning_session.id}/edit").status_code == 403
    assert client.post(f"/sessions/{learning_session.id}/delete").status_code == 403
    assert "Change session" not in client.get(f"/sessions/{learning_session.id}").get_data(as_text=True)


def test_another_champion_of_the_partner_cannot_change_it(client, login_as):
    venue = factories.create_venue()
    colleague = factories.create_user("champion", partner=venue.partner)
    learning_session = _logged_by(colleague, venue, unregistered_attendees=1)
    login_as("champion", partner=venue.partner)
    assert client.get(f"/sessions/{learning_session.id}").status_code == 200
    assert client.get(f"/sessions/{learning_session.id}/edit").status_code == 403


def test_a_coordinator_can_change_any_session_at_any_time(client, login_as):
    venue = factories.create_venue()
    learning_session = _logged_by(
        factories.create_user("champion", partner=venue.partner), venue, unregistered_attendees=1
    )
    learning_session.created_at = utcnow() - timedelta(days=100)
    db.session.commit()
    login_as("coordinator")
    assert client.get(f"/sessions/{learning_session.id}/edit").status_code == 200


def test_deleting_asks_first_then_keeps_the_learners_and_is_audited(client, champion, venue):
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    learning_session = _logged_by(champion, venue, attendees=[ann])
    db.session.add(
        SkillAchievement(session_id=learning_session.id, learner_id=ann.id, skill_id=factories.skill("FND-01").id)
    )
    db.session.commit()
    confirm = client.get(f"/sessions/{learning_session.id}/delete").get_data(as_text=True)
    assert "Yes, delete this session" in confirm
    assert db.session.scalar(select(func.count(LearningSession.id))) == 1
    response = client.post(f"/sessions/{learning_session.id}/delete")
    assert response.headers["Location"].endswith("/sessions/")
    assert db.session.scalar(select(func.count(LearningSession.id))) == 0
    assert db.session.scalar(select(func.count(Attendance.id))) == 0
    assert db.session.scalar(select(func.count(SkillAchievement.id))) == 0
    assert db.session.scalar(select(func.count(Learner.id))) == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "session_deleted"))
    assert event.before["attendees"] == [ann.id]


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_coordinators_and_admins_see_every_partners_sessions(client, login_as, role):
    first = factories.create_session(factories.create_venue(), unregistered_attendees=1)
    factories.create_session(factories.create_venue(), unregistered_attendees=1)
    login_as(role)
    assert "2 sessions" in client.get("/sessions/").get_data(as_text=True)
    assert client.get(f"/sessions/{first.id}").status_code == 200


def test_a_funder_gets_403_on_every_session_page(client, login_as):
    learning_session = factories.create_session(unregistered_attendees=1)
    login_as("funder")
    for url in (
        "/sessions/",
        "/sessions/new",
        f"/sessions/{learning_session.id}",
        f"/sessions/{learning_session.id}/edit",
        f"/sessions/{learning_session.id}/delete",
        "/sessions/find-learners?q=a",
    ):
        assert client.get(url).status_code == 403, url


def test_a_champion_lists_only_their_partners_sessions(client, champion, venue):
    _logged_by(champion, venue, unregistered_attendees=1)
    factories.create_session(factories.create_venue(), unregistered_attendees=1)
    assert "1 session<" in client.get("/sessions/").get_data(as_text=True)


def test_the_list_is_paginated_and_the_pages_keep_the_filters(client, champion, venue):
    for day in range(1, 31):
        factories.create_session(venue, date(2026, 9, day), unregistered_attendees=1)
    page = client.get(f"/sessions/?venue={venue.id}").get_data(as_text=True)
    assert "30 sessions" in page
    assert f"/sessions/?page=2&amp;venue={venue.id}" in page
    second = client.get(f"/sessions/?venue={venue.id}&page=2").get_data(as_text=True)
    assert len(re.findall(r'href="/sessions/\d+"', second)) == 5
