"""Setting up regular slots: who may, at which venues, and every problem shown at once."""

from datetime import date, time

from sqlalchemy import select

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.regular.models import RegularSession
from tests import factories
from tests.regular.helpers import slot_form


def _slots():
    db.session.expire_all()
    return list(db.session.scalars(select(RegularSession).order_by(RegularSession.id)))


def test_a_coordinator_sets_up_a_weekly_slot_with_its_champions(client, login_as):
    login_as("coordinator")
    venue = factories.create_venue("Central Library")
    amy = factories.create_user("champion", name="Amy Champion", partner=venue.partner)
    response = client.post("/regular/new", data=slot_form(venue, champions=[amy], weekday="2", start_time="13:30"))
    assert response.status_code == 302, response.get_data(as_text=True)
    [slot] = _slots()
    assert (slot.venue_id, slot.weekday, slot.start_time, slot.frequency) == (venue.id, 2, time(13, 30), "weekly")
    assert slot.starts_on == date(2026, 9, 7) and slot.ends_on is None
    assert date.fromordinal(slot.first_day) == date(2026, 9, 9)  # the first Wednesday on or after the 7th
    assert [champion.name for champion in slot.champions] == ["Amy Champion"]
    listing = client.get("/regular/").get_data(as_text=True)
    assert "Central Library" in listing and "Wednesdays at 13:30" in listing and "Amy Champion" in listing
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "regular_session_created"))
    assert event.after["weekday"] == 2


def test_a_champion_sets_up_a_slot_at_their_own_partners_venue(client, login_as):
    champion = login_as("champion")
    venue = factories.create_venue("Reddish Library", partner=champion.partner)
    response = client.post("/regular/new", data=slot_form(venue, champions=[champion], frequency="fortnightly"))
    assert response.status_code == 302
    [slot] = _slots()
    assert slot.frequency == "fortnightly" and slot.created_by_id == champion.id


def test_a_champion_cannot_set_up_a_slot_at_another_partners_venue(client, login_as):
    login_as("champion")
    elsewhere = factories.create_venue("Marple Library")
    response = client.post("/regular/new", data=slot_form(elsewhere))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose one of your partner&#39;s venues" in page
    assert _slots() == []


def test_every_problem_is_shown_at_once(client, login_as):
    login_as("coordinator")
    venue = factories.create_venue()
    data = slot_form(
        venue,
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 11, 1),
        start_time="",
        duration_minutes="0",
        session_type="",
    )
    page = client.post("/regular/new", data=data).get_data(as_text=True)
    assert "There is a problem" in page
    for message in (
        "Enter the time the session starts, like 10:30",
        "Duration must be between 1 and 600 minutes",
        "Choose the type of session",
        "The last date must be the same as or after the first date",
    ):
        assert page.count(message) == 2, message  # in the summary and beside its field
    assert _slots() == []


def test_a_weekday_that_never_falls_between_the_dates_is_refused(client, login_as):
    login_as("coordinator")
    venue = factories.create_venue()
    # Tuesday 1 to Thursday 3 December 2026 holds no Friday.
    data = slot_form(venue, starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 3), weekday="4")
    page = client.post("/regular/new", data=data).get_data(as_text=True)
    assert "There is no Friday between 1 December 2026 and 3 December 2026" in page
    assert _slots() == []


def test_a_slot_running_past_midnight_is_refused(client, login_as):
    login_as("coordinator")
    venue = factories.create_venue()
    page = client.post("/regular/new", data=slot_form(venue, start_time="23:00", duration_minutes="120")).get_data(
        as_text=True
    )
    assert "it can last at most 60 minutes" in page


def test_champions_of_another_partner_and_closed_venues_are_refused(client, login_as):
    from inclusion.timeutil import utcnow

    login_as("coordinator")
    venue = factories.create_venue("Open Library")
    stranger = factories.create_user("champion", name="Sam Stranger")
    closed = factories.create_venue("Closed Library")
    closed.closed_at = utcnow()
    db.session.commit()
    page = client.post("/regular/new", data=slot_form(venue, champions=[stranger])).get_data(as_text=True)
    assert f"Choose champions of {venue.partner.name}, which runs Open Library" in page
    page = client.post("/regular/new", data=slot_form(closed)).get_data(as_text=True)
    assert "Closed Library has closed: choose an open venue" in page
    assert _slots() == []


def test_changing_a_slot_is_audited_with_what_changed(client, login_as):
    login_as("coordinator")
    slot = factories.create_regular_session()
    data = slot_form(slot.venue, ends_on=date(2026, 12, 28), start_time="11:00")
    assert client.post(f"/regular/{slot.id}/edit", data=data).status_code == 302
    [changed] = _slots()
    assert changed.start_time == time(11, 0) and changed.ends_on == date(2026, 12, 28)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "regular_session_edited"))
    assert event.before == {"start_time": "10:00", "ends_on": None}
    assert event.after == {"start_time": "11:00", "ends_on": "2026-12-28"}


def test_the_edit_form_starts_from_the_slot(client, login_as):
    login_as("coordinator")
    slot = factories.create_regular_session(start_time=time(14, 15), duration_minutes=45)
    page = client.get(f"/regular/{slot.id}/edit").get_data(as_text=True)
    assert 'value="14:15"' in page and 'value="45"' in page


def test_removing_a_slot_keeps_the_sessions_logged_on_its_dates(client, login_as):
    login_as("coordinator")
    slot = factories.create_regular_session()
    logged = factories.create_session(slot.venue, date(2026, 9, 7))
    assert client.post(f"/regular/{slot.id}/delete").status_code == 302
    assert _slots() == []
    assert db.session.get(type(logged), logged.id) is not None


def test_a_champion_cannot_open_another_partners_slot(client, login_as):
    login_as("champion")
    slot = factories.create_regular_session()
    assert client.get(f"/regular/{slot.id}/edit").status_code == 403
    assert client.get("/regular/999999/edit").status_code == 404


def test_a_coordinator_of_one_partner_works_with_that_partners_slots_only(client, login_as):
    mine = factories.create_venue("Mine")
    coordinator = login_as("coordinator", partner=mine.partner)
    theirs = factories.create_regular_session(factories.create_venue("Theirs"))
    assert coordinator.partner_id == mine.partner_id
    assert client.get(f"/regular/{theirs.id}/edit").status_code == 403
    page = client.get("/regular/new").get_data(as_text=True)
    assert ">Mine<" in page and ">Theirs<" not in page


def test_funders_never_reach_regular_sessions(client, login_as):
    login_as("funder")
    assert client.get("/regular/").status_code == 403


def test_a_champion_deactivated_since_is_dropped_when_the_slot_is_next_saved(client, login_as):
    login_as("coordinator")
    venue = factories.create_venue()
    gone = factories.create_user("champion", partner=venue.partner, name="Gone Away")
    slot = factories.create_regular_session(venue, champions=[gone])
    gone.active = False
    db.session.commit()
    page = client.get(f"/regular/{slot.id}/edit").get_data(as_text=True)
    assert "Gone Away" not in page
    assert client.post(f"/regular/{slot.id}/edit", data=slot_form(venue)).status_code == 302
    assert _slots()[0].champions == []
