"""The session form's pieces for its script (a row, a venue's context, registering in place) and its defaults."""

import re
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.sessions.models import LearningSession
from inclusion.sessions.rules import COUNT_MAX_LENGTH, START_TIME_MAX_LENGTH
from inclusion.timeutil import today_in_london, utcnow
from tests import factories

NAVIGATING = {"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}


@pytest.fixture
def champion(login_as):
    return login_as("champion")


@pytest.fixture
def venue(champion):
    return factories.create_venue("Central Library", partner=champion.partner)


def _registration(**overrides) -> dict:
    data = {
        "learner-first_name": "Wei",
        "learner-last_name": "Chen",
        "learner-age_band": "unknown",
        "learner-lawful_basis": "consent",
        "learner-consent_given": "y",
        "learner-consent_method": "verbal",
    }
    data.update(overrides)
    return data


def test_an_attendee_row_has_the_learner_and_their_skills_by_area_with_counts(client, champion, venue):
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    factories.create_session(venue, attendees=[ann], skills={ann: ["FND-01"]})
    row = client.get(f"/sessions/attendee-row?learner={ann.id}").get_data(as_text=True)
    assert f'<input type="hidden" name="attendee" value="{ann.id}">' in row
    assert row.count("data-area>") == 6 and "Foundation skills" in row and "Being safe and legal online" in row
    assert "(0 ticked)" in row
    assert f'id="skills-{ann.id}-FND-01"' in row and "already gained" in row
    assert f'name="remove" value="{ann.id}"' in row


def test_an_attendee_row_is_refused_for_a_learner_the_champion_may_not_see(client, champion):
    stranger = factories.create_learner("Sid", "Stranger", partner=factories.create_partner())
    assert client.get(f"/sessions/attendee-row?learner={stranger.id}").status_code == 404
    assert client.get("/sessions/attendee-row?learner=nonsense").status_code == 404


def test_a_merged_learner_has_no_row_of_their_own(client, champion):
    kept = factories.create_learner("Ann", "Walker", partner=champion.partner)
    merged = factories.create_learner("Anne", "Walker", partner=champion.partner)
    merged.merged_into_id = kept.id
    db.session.commit()
    assert client.get(f"/sessions/attendee-row?learner={merged.id}").status_code == 404


def test_the_form_pieces_send_a_browser_that_opens_them_as_pages_to_the_form(client, champion, venue):
    for url in ("/sessions/attendee-row?learner=1", f"/sessions/venue-context?venue={venue.id}"):
        response = client.get(url, headers=NAVIGATING)
        assert response.status_code == 302 and response.headers["Location"].endswith("/sessions/new"), url
    response = client.get("/sessions/register-learner?name=Wei+Chen", headers=NAVIGATING)
    assert response.status_code == 302 and "/learners/new" in response.headers["Location"]


def test_funders_get_none_of_the_form_pieces(client, login_as):
    login_as("funder")
    for url in ("/sessions/attendee-row?learner=1", "/sessions/venue-context?venue=1", "/sessions/register-learner"):
        assert client.get(url).status_code == 403, url
    assert client.post("/sessions/register-learner", data=_registration()).status_code == 403


def test_a_venue_context_brings_its_recent_learners_last_session_and_the_champions_usual_type_and_duration(
    client, champion, venue
):
    rita = factories.create_learner("Rita", "Turner", partner=champion.partner)
    week_ago = today_in_london() - timedelta(days=7)
    factories.create_session(
        venue, week_ago, attendees=[rita], session_type="group", duration_minutes=90, created_by=champion
    )
    _link_champion(champion)
    context = client.get(f"/sessions/venue-context?venue={venue.id}").get_json()
    assert "Add Rita Turner" in context["recent"]
    assert (
        "Repeat a recent session" in context["repeat"] and "group session, 90 minutes, 1 attendee." in context["repeat"]
    )
    assert (context["session_type"], context["duration_minutes"]) == ("group", 90)


def test_a_venue_context_for_another_partners_venue_is_empty(client, champion):
    elsewhere = factories.create_venue("Elsewhere", partner=factories.create_partner())
    factories.create_session(elsewhere, today_in_london(), attendees=[factories.create_learner()])
    assert client.get(f"/sessions/venue-context?venue={elsewhere.id}").get_json() == {
        "recent": "",
        "repeat": "",
        "session_type": None,
        "duration_minutes": None,
    }


def _link_champion(user) -> None:
    """The factory records who created a session; the champions table is what "sessions they ran" reads."""
    from inclusion.sessions.models import session_champions

    for session_id in db.session.scalars(select(LearningSession.id).where(LearningSession.created_by_id == user.id)):
        db.session.execute(session_champions.insert().values(session_id=session_id, user_id=user.id))
    db.session.commit()


def test_a_new_form_starts_today_at_the_usual_venue_with_the_type_and_duration_last_used_there(client, champion, venue):
    factories.create_session(venue, date(2026, 9, 1), session_type="course", duration_minutes=120, created_by=champion)
    factories.create_session(venue, date(2026, 9, 8), session_type="group", duration_minutes=75, created_by=champion)
    _link_champion(champion)
    factories.create_session(venue, date(2026, 9, 9), session_type="one-to-one", duration_minutes=30)  # someone else's
    page = client.get("/sessions/new").get_data(as_text=True)
    today = today_in_london()
    assert f'<option value="{venue.id}" selected>Central Library</option>' in page
    assert f'name="session_date-day" type="text" value="{today.day}"' in page or f'value="{today.day:02d}"' in page
    assert 'name="duration_minutes" type="text" value="75"' in page
    assert 'type="radio" value="group" checked' in page


def test_the_forms_text_fields_say_how_long_they_may_be(client, champion, venue):
    page = client.get("/sessions/new").get_data(as_text=True)
    limits = (
        ("notes", 2000),
        ("q", 100),
        ("start_time", START_TIME_MAX_LENGTH),
        ("duration_minutes", COUNT_MAX_LENGTH),
    )
    for name, limit in limits:
        assert re.search(rf'<(input|textarea)[^>]*name="{name}"[^>]*maxlength="{limit}"', page) or re.search(
            rf'<(input|textarea)[^>]*maxlength="{limit}"[^>]*name="{name}"', page
        ), name


def test_repeating_a_session_fills_the_form_from_it_for_today_with_a_new_key(client, champion, venue):
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    bob = factories.create_learner("Bob", "Hall", partner=champion.partner)
    last = factories.create_session(
        venue,
        date(2026, 9, 8),
        attendees=[ann, bob],
        skills={ann: ["FND-01"]},
        session_type="group",
        duration_minutes=90,
        start_time=time(14, 0),
    )
    page = client.get("/sessions/new").get_data(as_text=True)
    assert f'href="/sessions/new?repeat={last.id}"' in page and "Repeat a recent session" in page
    repeated = client.get(f"/sessions/new?repeat={last.id}").get_data(as_text=True)
    assert f'name="attendee" value="{ann.id}"' in repeated and f'name="attendee" value="{bob.id}"' in repeated
    assert 'value="14:00"' in repeated and 'name="duration_minutes" type="text" value="90"' in repeated
    assert 'type="radio" value="group" checked' in repeated
    assert f'value="{today_in_london().year}"' in repeated and 'value="2026"' in repeated
    assert f'id="skills-{ann.id}-FND-01" name="skills-{ann.id}" type="checkbox" value="FND-01" checked' not in repeated
    assert "Repeat a recent session" not in repeated  # already repeating


def test_repeating_another_partners_session_starts_an_ordinary_form(client, champion, venue):
    stranger = factories.create_learner("Sid", "Stranger", partner=factories.create_partner())
    theirs = factories.create_session(
        factories.create_venue("Elsewhere", partner=stranger.registered_partner), attendees=[stranger]
    )
    page = client.get(f"/sessions/new?repeat={theirs.id}").get_data(as_text=True)
    assert "Sid" not in page and f'name="attendee" value="{stranger.id}"' not in page


def test_repeating_a_session_at_a_closed_venue_starts_an_ordinary_form(client, champion, venue):
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    last = factories.create_session(venue, attendees=[ann])
    venue.closed_at = utcnow()
    db.session.commit()
    page = client.get(f"/sessions/new?repeat={last.id}").get_data(as_text=True)
    assert f'name="attendee" value="{ann.id}"' not in page


def test_the_registration_dialog_starts_with_the_name_typed_in_the_search_box(client, champion):
    form = client.get("/sessions/register-learner?name=Wei+Chen").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="learner-first_name"[^>]*value="Wei"', form)
    assert re.search(r'<input[^>]*name="learner-last_name"[^>]*value="Chen"', form)
    assert "Privacy notice" in form and 'action="/sessions/register-learner"' in form


def test_registering_in_the_dialog_returns_the_new_learners_row_and_audits_it(client, champion):
    response = client.post("/sessions/register-learner", data=_registration())
    assert response.status_code == 201
    body = response.get_json()
    wei = db.session.scalar(select(Learner).where(Learner.first_name == "Wei"))
    assert (body["learner_id"], body["name"], body["reference"]) == (wei.id, "Wei Chen", wei.reference)
    assert f'name="attendee" value="{wei.id}"' in body["row"]
    assert wei.registered_partner_id == champion.partner_id and wei.consent_method == "verbal"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "learner_registered"))
    assert (event.user_id, str(event.record_id)) == (champion.id, str(wei.id))


def test_the_dialog_shows_every_error_at_once_and_registers_no_one(client, champion):
    response = client.post(
        "/sessions/register-learner",
        data=_registration(**{"learner-first_name": "", "learner-consent_given": "", "learner-postcode": "nonsense"}),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert 'href="#learner-first_name"' in html and 'href="#learner-postcode"' in html
    assert 'href="#learner-consent_given"' in html
    assert db.session.scalar(select(func.count(Learner.id))) == 0


def test_a_possible_duplicate_is_offered_first_and_can_be_chosen_or_passed_over(client, champion):
    existing = factories.create_learner("Wei", "Chen", partner=champion.partner, date_of_birth=date(1950, 3, 4))
    data = _registration(
        **{"learner-date_of_birth": ["4", "3", "1950"]},
    )
    offered = client.post("/sessions/register-learner", data=data)
    assert offered.status_code == 409
    assert f'value="{existing.reference}"' in offered.get_data(as_text=True)
    unchosen = client.post("/sessions/register-learner", data={**data, "learner-offered": "1"})
    assert unchosen.status_code == 409
    assert "Choose one of the learners, or register a new learner" in unchosen.get_data(as_text=True)
    chosen = client.post("/sessions/register-learner", data={**data, "learner-duplicate_choice": existing.reference})
    assert chosen.status_code == 200 and chosen.get_json()["learner_id"] == existing.id
    anyway = client.post("/sessions/register-learner", data={**data, "learner-duplicate_choice": "new"})
    assert anyway.status_code == 201
    assert db.session.scalar(select(func.count(Learner.id)).where(Learner.first_name == "Wei")) == 2


def test_choosing_a_learner_the_champion_may_not_see_is_refused(client, champion):
    stranger = factories.create_learner("Sid", "Stranger", partner=factories.create_partner())
    response = client.post("/sessions/register-learner", data={"learner-duplicate_choice": stranger.reference})
    assert response.status_code == 403
