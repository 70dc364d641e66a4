"""Occurrences: computed by the database for a window, logged or not, on the sessions list and the home page."""

from datetime import date, time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from inclusion.regular.occurrences import occurrences, slot_dates, weeks_window
from inclusion.timeutil import today_in_london
from tests import factories


def _days(found):
    return [(row.slot_id, row.day, row.logged) for row in found]


def test_a_weekly_slot_occurs_on_its_weekday_between_its_dates():
    slot = factories.create_regular_session(weekday=0, starts_on=date(2026, 11, 4), ends_on=date(2026, 11, 23))
    found = occurrences(date(2026, 11, 1), date(2026, 11, 30))
    assert [row.day for row in found] == [date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
    assert all(row.slot_id == slot.id and not row.logged for row in found)


def test_a_fortnightly_slot_occurs_every_other_week_from_its_first_date():
    factories.create_regular_session(weekday=2, starts_on=date(2026, 10, 1), frequency="fortnightly")
    # The first Wednesday on or after Thursday 1 October is the 7th; then the 21st, 4 November, 18th, ...
    found = occurrences(date(2026, 11, 1), date(2026, 11, 30))
    assert [row.day for row in found] == [date(2026, 11, 4), date(2026, 11, 18)]


def test_an_occurrence_is_logged_when_any_session_is_logged_at_that_venue_on_that_day():
    slot = factories.create_regular_session(weekday=0, starts_on=date(2026, 11, 2))
    factories.create_session(slot.venue, date(2026, 11, 9), start_time=time(15, 0), unregistered_attendees=1)
    factories.create_session(factories.create_venue(), date(2026, 11, 16))  # another venue: not this slot's
    found = occurrences(date(2026, 11, 2), date(2026, 11, 22))
    assert _days(found) == [
        (slot.id, date(2026, 11, 2), False),
        (slot.id, date(2026, 11, 9), True),
        (slot.id, date(2026, 11, 16), False),
    ]


@pytest.mark.parametrize("frequency", ["weekly", "fortnightly"])
@pytest.mark.parametrize("weekday", range(7))
def test_the_query_and_the_python_rule_agree(frequency, weekday):
    slot = factories.create_regular_session(
        weekday=weekday, starts_on=date(2026, 10, 13), ends_on=date(2026, 12, 20), frequency=frequency
    )
    first, last = date(2026, 10, 1), date(2026, 11, 30)
    assert [row.day for row in occurrences(first, last)] == slot_dates(slot, first, last)


def test_the_window_is_monday_last_week_to_sunday_this_week():
    assert weeks_window(date(2026, 12, 2)) == (date(2026, 11, 23), date(2026, 12, 6))
    assert weeks_window(date(2026, 11, 30)) == (date(2026, 11, 23), date(2026, 12, 6))


def test_one_query_whatever_the_number_of_slots(count_queries):
    venue = factories.create_venue()
    for weekday in range(7):
        factories.create_regular_session(venue, weekday=weekday)
    with count_queries() as queries:
        found = occurrences(date(2026, 11, 1), date(2026, 11, 30))
    assert queries.count == 1
    assert len(found) == 30  # every day of November but none twice


# The pages use the real date: their slots are set up relative to it.
def _slot_yesterday_and_last_week(champion, venue):
    today = today_in_london()
    yesterday = today - timedelta(days=1)
    return factories.create_regular_session(
        venue, weekday=yesterday.weekday(), starts_on=today - timedelta(days=28), champions=[champion]
    ), yesterday


def test_the_sessions_list_shows_this_and_last_weeks_occurrences_as_logged_or_not(client, login_as):
    champion = login_as("champion")
    venue = factories.create_venue("Brinnington Library", partner=champion.partner)
    slot, yesterday = _slot_yesterday_and_last_week(champion, venue)
    factories.create_session(venue, yesterday - timedelta(days=7))
    page = client.get("/sessions/").get_data(as_text=True)
    assert "Regular sessions, last week and this week" in page
    first, last = weeks_window(today_in_london())
    expected = slot_dates(slot, first, last)
    section = page.split('id="regular-weeks"')[1].split("</section>")[0]
    assert section.count("Brinnington Library</td>") == len(expected) == 2
    assert section.count(">Not logged<") == 1 and section.count(">Logged<") == 1
    assert f"/regular/{slot.id}/log?on={yesterday.isoformat()}" in section


def test_the_sessions_list_leaves_out_other_partners_slots(client, login_as):
    champion = login_as("champion")
    factories.create_venue("Mine", partner=champion.partner)
    other = factories.create_venue("Someone Else's Library")
    _slot_yesterday_and_last_week(factories.create_user("champion", partner=other.partner), other)
    page = client.get("/sessions/").get_data(as_text=True)
    assert "Someone Else" not in page and "Regular sessions, last week and this week" not in page


def test_a_champions_home_shows_their_own_slots_only(client, login_as):
    champion = login_as("champion")
    venue = factories.create_venue("Heaton Moor Library", partner=champion.partner)
    _slot_yesterday_and_last_week(champion, venue)
    colleague = factories.create_user("champion", partner=champion.partner)
    factories.create_regular_session(
        factories.create_venue("Colleague's Venue", partner=champion.partner), champions=[colleague]
    )
    page = client.get("/").get_data(as_text=True)
    assert "Your regular sessions" in page and "Heaton Moor Library" in page
    assert "Colleague" not in page


def test_a_coordinators_home_has_no_regular_sessions_section(client, login_as):
    login_as("coordinator")
    assert "Your regular sessions" not in client.get("/").get_data(as_text=True)


def test_log_this_session_opens_the_form_filled_from_the_slot(client, login_as):
    champion = login_as("champion")
    venue = factories.create_venue("Edgeley Library", partner=champion.partner)
    slot = factories.create_regular_session(
        venue, weekday=0, start_time=time(9, 30), duration_minutes=75, session_type="group", champions=[champion]
    )
    response = client.get(f"/regular/{slot.id}/log?on=2026-11-23")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query == {
        "date": ["2026-11-23"],
        "venue": [str(venue.id)],
        "start": ["09:30"],
        "type": ["group"],
        "duration": ["75"],
    }
    form = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="start_time" type="text" value="09:30"' in form
    assert 'name="duration_minutes" type="text" value="75"' in form
    assert 'value="group" checked' in form
    assert f'<option value="{venue.id}" selected>' in form
    assert 'id="session_date-day" name="session_date" type="text" value="23"' in form


def test_log_this_session_takes_the_last_sessions_attendees_type_duration_and_time(client, login_as):
    champion = login_as("champion")
    venue = factories.create_venue("Marple Library", partner=champion.partner)
    slot = factories.create_regular_session(venue, weekday=0, champions=[champion])
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    bob = factories.create_learner("Bob", "Jones", partner=champion.partner)
    factories.create_session(venue, date(2026, 11, 9), attendees=[bob])
    factories.create_session(
        venue,
        date(2026, 11, 16),
        attendees=[ann, bob],
        duration_minutes=120,
        session_type="course",
        start_time=time(10, 15),
    )
    factories.create_session(venue, date(2026, 11, 18), attendees=[bob])  # a Wednesday: not the slot's
    response = client.get(f"/regular/{slot.id}/log?on=2026-11-23")
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["attendee"] == [str(ann.id), str(bob.id)]
    assert (query["type"], query["duration"], query["start"]) == (["course"], ["120"], ["10:15"])
    form = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'name="attendee" value="{ann.id}"' in form and f'name="attendee" value="{bob.id}"' in form


def test_the_form_drops_prefilled_values_the_user_may_not_use(client, login_as):
    champion = login_as("champion")
    factories.create_venue("Mine", partner=champion.partner)
    theirs = factories.create_venue("Theirs")
    stranger = factories.create_learner("Private", "Person", partner=theirs.partner)
    future = (today_in_london() + timedelta(days=3)).isoformat()
    form = client.get(
        f"/sessions/new?date={future}&venue={theirs.id}&duration=9999&type=party&attendee={stranger.id}"
    ).get_data(as_text=True)
    assert f'<option value="{theirs.id}"' not in form
    assert "Private" not in form
    assert 'value="9999"' not in form and 'value="party"' not in form
    day = f'id="session_date-day" name="session_date" type="text" value="{today_in_london():%d}"'
    assert day in form  # the date stays today


def test_a_date_the_slot_does_not_run_on_is_warned_about(client, login_as):
    champion = login_as("champion")
    slot = factories.create_regular_session(factories.create_venue(partner=champion.partner), weekday=0)
    response = client.get(f"/regular/{slot.id}/log?on=2026-11-24", follow_redirects=True)
    assert "does not run on 24 November 2026" in response.get_data(as_text=True)
