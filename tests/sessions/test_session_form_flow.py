"""Adding attendees without JavaScript: find, add, remove, recent learners, register from inside the form."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.sessions.models import Attendance, LearningSession
from inclusion.timeutil import today_in_london
from tests import factories
from tests.sessions.helpers import session_form


@pytest.fixture
def champion(login_as):
    return login_as("champion")


@pytest.fixture
def venue(champion):
    return factories.create_venue("Central Library", partner=champion.partner)


def test_find_shows_matching_learners_and_keeps_the_session_entered(client, champion, venue):
    factories.create_learner("Margaret", "Hughes", partner=champion.partner)
    page = client.post(
        "/sessions/new",
        data=session_form(venue, action="find", q="marg", notes="Keep me", duration_minutes="45"),
    ).get_data(as_text=True)
    assert "Add Margaret Hughes" in page
    assert "Keep me" in page and 'value="45"' in page
    assert "There is a problem" not in page


def test_adding_a_learner_puts_them_on_the_session_with_skill_boxes(client, champion, venue):
    margaret = factories.create_learner("Margaret", "Hughes", partner=champion.partner)
    page = client.post("/sessions/new", data=session_form(venue, add=str(margaret.id))).get_data(as_text=True)
    assert f'<input type="hidden" name="attendee" value="{margaret.id}">' in page
    assert f'name="skills-{margaret.id}" type="checkbox" value="FND-01"' in page
    assert "Attendees (1)" in page


def test_retired_skills_are_not_offered(client, champion, venue):
    margaret = factories.create_learner("Margaret", "Hughes", partner=champion.partner)
    factories.skill("FND-09").retired_at = today_in_london()
    db.session.commit()
    page = client.post("/sessions/new", data=session_form(venue, add=str(margaret.id))).get_data(as_text=True)
    assert 'value="FND-08"' in page
    assert 'value="FND-09"' not in page


def test_removing_a_learner_keeps_the_others(client, champion, venue):
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    bob = factories.create_learner("Bob", "Hall", partner=champion.partner)
    page = client.post("/sessions/new", data=session_form(venue, attendees=[ann, bob], remove=str(ann.id)))
    text = page.get_data(as_text=True)
    assert f'name="attendee" value="{bob.id}"' in text
    assert f'name="attendee" value="{ann.id}"' not in text


def test_the_venues_recent_learners_are_one_tap_away(client, champion, venue):
    regular = factories.create_learner("Rita", "Turner", partner=champion.partner)
    factories.create_session(venue, today_in_london() - timedelta(days=7), attendees=[regular])
    page = client.get("/sessions/new").get_data(as_text=True)
    assert f'name="add" value="{regular.id}">Add Rita Turner' in page


def test_search_as_you_type_returns_just_the_results(client, champion, venue):
    factories.create_learner("Margaret", "Hughes", partner=champion.partner)
    fragment = client.get("/sessions/find-learners?q=hug").get_data(as_text=True)
    assert "Add Margaret Hughes" in fragment
    assert "<html" not in fragment


def test_registering_a_new_learner_from_the_session_form_returns_to_it_with_them_added(client, champion, venue):
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    data = session_form(
        venue,
        attendees=[ann],
        skills={ann: ["FND-01"]},
        notes="Keep me",
        action="register",
        q="Wei Chen",
        idempotency_key="draft-key",
    )
    response = client.post("/sessions/new", data=data)
    assert response.status_code == 302
    assert "/learners/new?for_session=1" in response.headers["Location"]
    form = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="Wei"' in form and 'value="Chen"' in form
    back = client.post(
        response.headers["Location"],
        data={
            "first_name": "Wei",
            "last_name": "Chen",
            "lawful_basis": "consent",
            "consent_given": "y",
            "consent_method": "verbal",
            "age_band": "unknown",
        },
    )
    assert back.headers["Location"].endswith("/sessions/new?resume=1")
    wei = db.session.scalar(select(Learner).where(Learner.first_name == "Wei"))
    resumed = client.get(back.headers["Location"]).get_data(as_text=True)
    assert "Keep me" in resumed
    assert 'value="draft-key"' in resumed
    assert f'name="attendee" value="{ann.id}"' in resumed and f'name="attendee" value="{wei.id}"' in resumed
    assert f'id="skills-{ann.id}-FND-01" name="skills-{ann.id}" type="checkbox" value="FND-01" checked' in resumed


def test_the_whole_visit_ends_in_one_session_with_three_attendees_even_when_sent_twice(client, champion, venue):
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    bob = factories.create_learner("Bob", "Hall", partner=champion.partner)
    data = session_form(venue, attendees=[ann, bob], skills={ann: ["FND-01"]}, action="register", q="Wei Chen")
    register_url = client.post("/sessions/new", data=data).headers["Location"]
    client.post(
        register_url,
        data={
            "first_name": "Wei",
            "last_name": "Chen",
            "lawful_basis": "consent",
            "consent_given": "y",
            "consent_method": "verbal",
            "age_band": "unknown",
        },
    )
    wei = db.session.scalar(select(Learner).where(Learner.first_name == "Wei"))
    final = session_form(venue, attendees=[ann, bob, wei], skills={ann: ["FND-01"], wei: ["COM-03"]})
    first = client.post("/sessions/new", data=final)
    second = client.post("/sessions/new", data=final)
    assert first.headers["Location"] == second.headers["Location"]
    [learning_session] = db.session.scalars(select(LearningSession)).all()
    attendees = db.session.scalars(select(Attendance.learner_id).where(Attendance.session_id == learning_session.id))
    assert sorted(attendees) == sorted([ann.id, bob.id, wei.id])


def test_choosing_an_existing_learner_from_the_duplicates_also_returns_to_the_session(client, champion, venue):
    existing = factories.create_learner("John", "Smith", partner=champion.partner)
    register_url = client.post("/sessions/new", data=session_form(venue, action="register")).headers["Location"]
    back = client.post(register_url, data={"use_existing": existing.reference})
    assert back.headers["Location"].endswith("/sessions/new?resume=1")
    assert f'name="attendee" value="{existing.id}"' in client.get(back.headers["Location"]).get_data(as_text=True)


def test_changing_venue_fetches_that_venues_recent_learners(client, champion, venue):
    other = factories.create_venue("Reddish Library", partner=champion.partner)
    regular = factories.create_learner("Rita", "Turner", partner=champion.partner)
    factories.create_session(other, today_in_london() - timedelta(days=3), attendees=[regular])
    assert "Rita Turner" in client.get(f"/sessions/recent-learners?venue={other.id}").get_data(as_text=True)
    assert "Rita Turner" not in client.get(f"/sessions/recent-learners?venue={venue.id}").get_data(as_text=True)
    excluded = client.get(f"/sessions/recent-learners?venue={other.id}&exclude={regular.id}")
    assert "Rita Turner" not in excluded.get_data(as_text=True)


def test_the_default_venue_is_where_the_champion_last_logged_a_session(client, champion, venue):
    other = factories.create_venue("Reddish Library", partner=champion.partner)
    factories.create_session(other, created_by=champion, unregistered_attendees=1)
    page = client.get("/sessions/new").get_data(as_text=True)
    assert f'<option value="{other.id}" selected>Reddish Library</option>' in page


def test_registering_from_the_edit_form_returns_to_the_edit_form(client, champion, venue):
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    client.post("/sessions/new", data=session_form(venue, attendees=[ann]))
    learning_session = db.session.scalar(select(LearningSession))
    edit_url = f"/sessions/{learning_session.id}/edit"
    register_url = client.post(edit_url, data=session_form(venue, attendees=[ann], action="register"))
    back = client.post(
        register_url.headers["Location"],
        data={
            "first_name": "Wei",
            "last_name": "Chen",
            "lawful_basis": "public-task",
            "age_band": "unknown",
            "consent_given": "y",
        },
    )
    assert back.headers["Location"].endswith(f"{edit_url}?resume=1")
    wei = db.session.scalar(select(Learner).where(Learner.first_name == "Wei"))
    assert f'name="attendee" value="{wei.id}"' in client.get(back.headers["Location"]).get_data(as_text=True)


def test_going_back_after_saving_a_resumed_form_and_saving_again_makes_no_second_session(client, champion, venue):
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    register_url = client.post(
        "/sessions/new",
        data=session_form(venue, attendees=[ann], action="register", idempotency_key="k-back"),
    ).headers["Location"]
    resume_url = client.post(
        register_url,
        data={"first_name": "Wei", "last_name": "Chen", "lawful_basis": "public-task", "consent_given": "y"},
    ).headers["Location"]
    wei = db.session.scalar(select(Learner).where(Learner.first_name == "Wei"))
    first = client.post("/sessions/new", data=session_form(venue, attendees=[ann, wei], idempotency_key="k-back"))
    back = client.get(resume_url).get_data(as_text=True)  # the Back button
    assert 'value="k-back"' in back
    again = client.post("/sessions/new", data=session_form(venue, attendees=[ann, wei], idempotency_key="k-back"))
    assert again.headers["Location"] == first.headers["Location"]
    assert db.session.scalar(select(func.count(LearningSession.id))) == 1


def test_a_browser_opening_a_fragment_url_as_a_page_is_sent_to_the_session_form(client, login_as):
    login_as("champion")
    for url in ("/sessions/find-learners?q=hug", "/sessions/recent-learners?venue=1"):
        response = client.get(url, headers={"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"})
        assert response.status_code == 302 and response.headers["Location"].endswith("/sessions/new"), url
