"""Signposts: recorded from the learner page and the saved session, the rules on bad input, and arrival."""

from datetime import date

import pytest
from sqlalchemy import func, select

from inclusion.extensions import db
from inclusion.learners.merging import merge_learners, undo_merge
from inclusion.learners.privacy import anonymise_learner
from inclusion.sessions import services as session_services
from inclusion.signposts import services
from inclusion.signposts.models import Signpost
from inclusion.signposts.queries import signposts_of
from inclusion.timeutil import utcnow
from tests import factories


@pytest.fixture
def alliance():
    """Libraries (Central Library, Bramhall Library) and Age UK (Age UK Hub, closed: Old Hall)."""
    libraries = factories.create_partner("Libraries")
    age_uk = factories.create_partner("Age UK")
    places = {
        "central": factories.create_venue("Central Library", libraries),
        "bramhall": factories.create_venue("Bramhall Library", libraries),
        "hub": factories.create_venue("Age UK Hub", age_uk),
        "old_hall": factories.create_venue("Old Hall", age_uk),
    }
    places["old_hall"].closed_at = utcnow()
    db.session.commit()
    return libraries, age_uk, places


def _count() -> int:
    return db.session.scalar(select(func.count(Signpost.id)))


def test_a_champion_signposts_a_learner_from_their_page_and_the_page_lists_it(client, login_as, alliance):
    libraries, _, places = alliance
    login_as("champion", partner=libraries)
    learner = factories.create_learner(partner=libraries)
    form = client.get(f"/signposts/learners/{learner.reference}/new")
    assert form.status_code == 200 and "Venue: Age UK Hub" in form.text and "Old Hall" not in form.text
    response = client.post(
        f"/signposts/learners/{learner.reference}/new",
        data={"target": f"venue:{places['hub'].id}", "venue_id": places["central"].id, "made_on": ["6", "10", "2026"]},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/learners/{learner.reference}")
    signpost = db.session.scalar(select(Signpost))
    assert (signpost.made_on, signpost.venue_id, signpost.to_venue_id) == (
        date(2026, 10, 6),
        places["central"].id,
        places["hub"].id,
    )
    page = client.get(f"/learners/{learner.reference}").text
    assert "Age UK Hub" in page and "Not arrived yet" in page and "1, 0 arrived" in page


def test_a_signpost_from_a_saved_session_takes_the_sessions_date_and_venue(client, login_as, alliance):
    libraries, age_uk, places = alliance
    login_as("champion", partner=libraries)
    learner = factories.create_learner(partner=libraries)
    learning_session = factories.create_session(places["central"], date(2026, 10, 6), attendees=[learner])
    detail = client.get(f"/sessions/{learning_session.id}").text
    link = f"/signposts/learners/{learner.reference}/new?session={learning_session.id}"
    assert link in detail.replace("&amp;", "&")
    page = client.get(link)
    assert page.status_code == 200 and "Venue where you pointed them on" not in page.text
    response = client.post(link, data={"target": f"partner:{age_uk.id}"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/sessions/{learning_session.id}")
    signpost = db.session.scalar(select(Signpost))
    assert (signpost.session_id, signpost.made_on, signpost.venue_id, signpost.to_partner_id) == (
        learning_session.id,
        date(2026, 10, 6),
        places["central"].id,
        age_uk.id,
    )


def test_a_signpost_to_a_closed_venue_is_refused_with_a_clear_message(client, login_as, alliance):
    libraries, _, places = alliance
    login_as("champion", partner=libraries)
    learner = factories.create_learner(partner=libraries)
    response = client.post(
        f"/signposts/learners/{learner.reference}/new",
        data={
            "target": f"venue:{places['old_hall'].id}",
            "venue_id": places["central"].id,
            "made_on": ["6", "10", "2026"],
        },
    )
    assert response.status_code == 200
    assert "Old Hall has closed: choose an open venue" in response.text
    assert "govuk-error-summary" in response.text
    assert _count() == 0


@pytest.mark.parametrize(
    "target, message",
    [
        ("venue:central", "They are at Central Library already"),
        ("partner:libraries", "Central Library belongs to Libraries: choose one of its other venues"),
        ("service:retired", "has been taken out of the directory"),
        ("venue:999999", "That venue does not exist"),
        ("nowhere", "Choose where you pointed them"),
    ],
)
def test_signposts_that_make_no_sense_are_refused(alliance, target, message):
    libraries, _, places = alliance
    champion = factories.create_user("champion", partner=libraries)
    learner = factories.create_learner(partner=libraries)
    retired = factories.create_service("Old Helpline")
    retired.retired_at = utcnow()
    db.session.commit()
    ids = {"central": places["central"].id, "libraries": libraries.id, "retired": retired.id}
    kind, _, name = target.partition(":")
    target = f"{kind}:{ids.get(name, name)}" if name else target
    details = services.SignpostDetails(target, venue_id=places["central"].id, made_on=date(2026, 10, 6))
    with pytest.raises(services.SignpostError, match=message):
        services.record_signpost(champion, learner.reference, details)
    assert _count() == 0


def test_a_champion_cannot_record_a_signpost_at_another_partners_venue_or_in_the_future(alliance):
    libraries, _, places = alliance
    champion = factories.create_user("champion", partner=libraries)
    learner = factories.create_learner(partner=libraries)
    elsewhere = services.SignpostDetails(
        f"venue:{places['bramhall'].id}", venue_id=places["hub"].id, made_on=date(2026, 10, 6)
    )
    with pytest.raises(services.SignpostError, match="Choose the venue you work at"):
        services.record_signpost(champion, learner.reference, elsewhere)
    future = services.SignpostDetails(
        f"venue:{places['hub'].id}", venue_id=places["central"].id, made_on=date(2099, 1, 1)
    )
    with pytest.raises(services.SignpostError, match="cannot be in the future"):
        services.record_signpost(champion, learner.reference, future)


def test_a_signpost_at_a_session_is_only_for_its_attendees(alliance):
    libraries, _, places = alliance
    champion = factories.create_user("champion", partner=libraries)
    learner = factories.create_learner(partner=libraries)
    learning_session = factories.create_session(places["central"], date(2026, 10, 6), attendees=[])
    details = services.SignpostDetails(f"venue:{places['hub'].id}", session_id=learning_session.id)
    with pytest.raises(services.SignpostError, match="is not an attendee of this session"):
        services.record_signpost(champion, learner.reference, details)


def _arrivals(learner):
    return [(row.arrived_on, row.arrived_at) for row in signposts_of([learner.id])]


def test_a_signpost_to_a_venue_arrives_on_the_first_attendance_there_on_or_after_the_day_it_was_made(alliance):
    _, _, places = alliance
    learner = factories.create_learner()
    factories.create_session(places["hub"], date(2026, 10, 1), attendees=[learner])  # before: not an arrival
    factories.create_signpost(learner, places["central"], date(2026, 10, 6), to_venue=places["hub"])
    assert _arrivals(learner) == [(None, None)]
    factories.create_session(places["bramhall"], date(2026, 10, 8), attendees=[learner])  # elsewhere
    factories.create_session(places["hub"], date(2026, 10, 20), attendees=[learner])
    factories.create_session(places["hub"], date(2026, 10, 13), attendees=[learner])
    assert _arrivals(learner) == [(date(2026, 10, 13), "Age UK Hub")]


def test_a_signpost_to_a_partner_arrives_at_whichever_of_its_venues_the_learner_attends_first(alliance):
    _, age_uk, places = alliance
    learner = factories.create_learner()
    factories.create_signpost(learner, places["central"], date(2026, 10, 6), to_partner=age_uk)
    factories.create_session(places["old_hall"], date(2026, 10, 9), attendees=[learner])
    factories.create_session(places["hub"], date(2026, 10, 7), attendees=[learner])
    assert _arrivals(learner) == [(date(2026, 10, 7), "Age UK Hub")]


def test_a_signpost_to_an_outside_service_never_arrives(alliance):
    _, _, places = alliance
    learner = factories.create_learner()
    factories.create_signpost(learner, places["central"], date(2026, 10, 6), to_service=factories.create_service())
    factories.create_session(places["hub"], date(2026, 10, 7), attendees=[learner])
    assert _arrivals(learner) == [(None, None)]
    assert signposts_of([learner.id])[0].status == "Outside the alliance"


def test_arrival_follows_the_attending_session_when_it_is_re_dated_or_deleted(alliance):
    _, _, places = alliance
    coordinator = factories.create_user("coordinator")
    learner = factories.create_learner()
    factories.create_signpost(learner, places["central"], date(2026, 10, 6), to_venue=places["hub"])
    visit = factories.create_session(places["hub"], date(2026, 10, 13), attendees=[learner])
    assert _arrivals(learner) == [(date(2026, 10, 13), "Age UK Hub")]
    details = session_services.SessionDetails(date(2026, 10, 15), places["hub"].id, 60, attendees=[learner.id])
    session_services.update_session(coordinator, visit, details)
    assert _arrivals(learner) == [(date(2026, 10, 15), "Age UK Hub")]
    session_services.delete_session(coordinator, db.session.get(type(visit), visit.id))
    assert _arrivals(learner) == [(None, None)]


def test_a_signpost_made_at_a_session_moves_with_it_and_outlives_its_deletion(alliance):
    _, _, places = alliance
    coordinator = factories.create_user("coordinator")
    learner = factories.create_learner()
    made_at = factories.create_session(places["central"], date(2026, 10, 6), attendees=[learner])
    factories.create_signpost(
        learner, places["central"], date(2026, 10, 6), to_venue=places["hub"], learning_session=made_at
    )
    factories.create_session(places["hub"], date(2026, 10, 7), attendees=[learner])
    assert _arrivals(learner) == [(date(2026, 10, 7), "Age UK Hub")]
    # Re-dated after the visit: the visit came before the signpost, so it is not an arrival.
    details = session_services.SessionDetails(date(2026, 10, 8), places["bramhall"].id, 60, attendees=[learner.id])
    session_services.update_session(coordinator, made_at, details)
    [row] = signposts_of([learner.id])
    assert (row.made_on, row.made_at, row.arrived_on) == (date(2026, 10, 8), "Bramhall Library", None)
    session_services.delete_session(coordinator, db.session.get(type(made_at), made_at.id))
    [row] = signposts_of([learner.id])  # kept, with the date and venue it was recorded with
    assert (row.session_id, row.made_on, row.made_at) == (None, date(2026, 10, 6), "Central Library")


def test_a_duplicates_attendance_arrives_the_kept_learners_signpost_and_undo_takes_it_back(alliance):
    _, _, places = alliance
    kept = factories.create_learner("Margaret", "Hughes")
    duplicate = factories.create_learner("Maggie", "Hughes")
    factories.create_signpost(kept, places["central"], date(2026, 10, 6), to_venue=places["hub"])
    factories.create_session(places["hub"], date(2026, 10, 9), attendees=[duplicate])
    assert _arrivals(kept) == [(None, None)]
    event = merge_learners(kept.id, duplicate.id, acting_user_id=None)
    assert _arrivals(kept) == [(date(2026, 10, 9), "Age UK Hub")]
    undo_merge(event.id, acting_user_id=None)
    db.session.expire_all()
    assert _arrivals(kept) == [(None, None)]


def test_a_merge_moves_the_duplicates_signposts_and_undo_moves_them_back(alliance):
    _, _, places = alliance
    kept = factories.create_learner("Margaret", "Hughes")
    duplicate = factories.create_learner("Maggie", "Hughes")
    signpost = factories.create_signpost(duplicate, places["central"], date(2026, 10, 6), to_venue=places["hub"])
    event = merge_learners(kept.id, duplicate.id, acting_user_id=None)
    assert db.session.get(Signpost, signpost.id).learner_id == kept.id
    assert event.details["owners"]["signposts"] == {"moved_signpost_ids": [signpost.id]}
    undo_merge(event.id, acting_user_id=None)
    db.session.expire_all()
    assert db.session.get(Signpost, signpost.id).learner_id == duplicate.id


def test_anonymising_keeps_the_signposts_and_erases_heard_about(alliance):
    _, _, places = alliance
    learner = factories.create_learner(heard_about="jobcentre")
    factories.create_signpost(learner, places["central"], date(2026, 10, 6), to_venue=places["hub"])
    anonymise_learner(learner.reference, learner.reference, acting_user=None)
    assert _count() == 1
    assert db.session.get(type(learner), learner.id).heard_about is None


def test_the_person_who_made_a_signpost_or_a_coordinator_may_remove_it(client, login_as, alliance):
    libraries, _, places = alliance
    other = factories.create_user("champion", partner=libraries)
    learner = factories.create_learner(partner=libraries)
    theirs = factories.create_signpost(learner, places["central"], to_venue=places["hub"], made_by=other)
    champion = login_as("champion", partner=libraries)
    mine = factories.create_signpost(learner, places["central"], to_venue=places["hub"], made_by=champion)
    assert client.post(f"/signposts/{theirs.id}/delete").status_code == 403
    assert client.post(f"/signposts/{mine.id}/delete").status_code == 302
    assert [row.id for row in signposts_of([learner.id])] == [theirs.id]
    coordinator = factories.create_user("coordinator")
    services.delete_signpost(coordinator, theirs.id)
    assert _count() == 0
