"""The learner page: details, sessions, skills by area, first and latest visit; and correcting details."""

from datetime import date, datetime

from sqlalchemy import select

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.learners.profile import learner_profile
from tests import factories


def _learner_with_history(champion):
    venue = factories.create_venue("Central Library", partner=champion.partner)
    learner = factories.create_learner("Margaret", "Hughes", partner=champion.partner, date_of_birth=date(1951, 3, 27))
    first = factories.create_session(
        venue, date(2026, 9, 4), attendees=[learner], skills={learner: ["FND-01", "COM-01"]}
    )
    factories.create_session(venue, date(2026, 10, 2), attendees=[learner], skills={learner: ["FND-01", "TRA-04"]})
    return learner, first


def test_the_first_and_latest_visits_and_skills_by_area_are_shown(client, login_as):
    champion = login_as("champion")
    learner, first = _learner_with_history(champion)
    page = client.get(f"/learners/{learner.reference}").get_data(as_text=True)
    assert "Margaret Hughes" in page
    assert "4 September 2026" in page and "2 October 2026" in page
    assert "Skills gained: 3" in page
    assert "1 of 9 done" in page  # foundation: FND-01 of nine
    assert "Sessions attended: 2" in page


def test_a_skill_shown_twice_counts_once_from_its_first_session():
    champion = factories.create_user("champion")
    learner, first = _learner_with_history(champion)
    profile = learner_profile(learner)
    foundation = next(area for area in profile.areas if area.code == "FND")
    [done] = foundation.done
    assert (done.skill.code, done.first_gained_on, done.first_session_id) == (
        "FND-01",
        date(2026, 9, 4),
        first.id,
    )
    assert len(foundation.remaining) == 8
    assert profile.skills_gained == 3


def test_retired_skills_not_gained_are_left_out_of_the_remaining_list():
    champion = factories.create_user("champion")
    learner, _first = _learner_with_history(champion)
    factories.skill("FND-09").retired_at = datetime(2026, 1, 1)
    db.session.commit()
    foundation = next(area for area in learner_profile(learner).areas if area.code == "FND")
    assert "FND-09" not in [status.skill.code for status in foundation.remaining]


def test_the_learner_page_has_a_change_link(client, login_as):
    champion = login_as("champion")
    learner = factories.create_learner(partner=champion.partner)
    page = client.get(f"/learners/{learner.reference}").get_data(as_text=True)
    assert f"/learners/{learner.reference}/edit" in page


def test_editing_a_learner_records_before_and_after_values(client, login_as):
    champion = login_as("champion")
    learner = factories.create_learner("Margaret", "Hughes", partner=champion.partner, postcode="SK1 3XE")
    form = client.get(f"/learners/{learner.reference}/edit").get_data(as_text=True)
    assert 'value="Margaret"' in form
    response = client.post(
        f"/learners/{learner.reference}/edit",
        data={
            "first_name": "Maggie",
            "last_name": "Hughes",
            "postcode": "sk2 6pl",
            "lawful_basis": "consent",
            "age_band": "unknown",
        },
    )
    assert response.status_code == 302
    db.session.refresh(learner)
    assert (learner.first_name, learner.postcode, learner.search_name) == (
        "Maggie",
        "SK2 6PL",
        "maggie hughes",
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "learner_edited"))
    assert event.user_id == champion.id
    assert event.before == {"first_name": "Margaret", "postcode": "SK1 3XE"}
    assert event.after == {"first_name": "Maggie", "postcode": "SK2 6PL"}


def test_an_edit_with_a_bad_postcode_keeps_what_was_typed(client, login_as):
    champion = login_as("champion")
    learner = factories.create_learner("Margaret", "Hughes", partner=champion.partner)
    page = client.post(
        f"/learners/{learner.reference}/edit",
        data={
            "first_name": "Maggie",
            "last_name": "Hughes",
            "postcode": "nope",
            "lawful_basis": "consent",
            "age_band": "unknown",
        },
    ).get_data(as_text=True)
    assert "Enter a real postcode" in page
    assert 'value="Maggie"' in page
    db.session.refresh(learner)
    assert learner.first_name == "Margaret"


def test_a_merged_learner_leads_to_the_learner_it_was_merged_into(client, login_as):
    champion = login_as("champion")
    survivor = factories.create_learner(partner=champion.partner)
    merged = factories.create_learner(partner=champion.partner, merged_into_id=survivor.id)
    response = client.get(f"/learners/{merged.reference}")
    assert response.headers["Location"].endswith(f"/learners/{survivor.reference}")


def test_sessions_at_another_partners_venue_are_listed_but_not_linked_for_a_champion(client, login_as):
    champion = login_as("champion")
    learner = factories.create_learner("Ann", "Walker", partner=champion.partner)
    elsewhere = factories.create_session(factories.create_venue("Age Friendly Hub"), attendees=[learner])
    page = client.get(f"/learners/{learner.reference}").get_data(as_text=True)
    assert "Age Friendly Hub" in page
    assert f"/sessions/{elsewhere.id}" not in page
