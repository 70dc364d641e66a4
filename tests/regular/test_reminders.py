"""`flask reminders send` over real SMTP (aiosmtpd on loopback): who gets one, what it says, once a week."""

from datetime import date, time
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from inclusion.extensions import db
from inclusion.regular.models import ReminderSend
from inclusion.sessions.draft_marks import SessionDraftMark
from tests import factories
from tests.mail_server import body_of, links_in
from tests.sessions.helpers import session_form

MONDAY = "2026-11-30"  # the run's "today": it looks back to Tuesday 17 November


def _send(runner, today=MONDAY, *extra):
    result = runner.invoke(args=["reminders", "send", "--today", today, *extra])
    return result


@pytest.fixture
def champion():
    return factories.create_user("champion", email="amy@example.org", name="Amy Champion")


@pytest.fixture
def venue(champion):
    return factories.create_venue("Central Library", partner=champion.partner)


def test_a_champion_with_an_unlogged_occurrence_gets_one_email_listing_it(runner, mail_server, champion, venue):
    slot = factories.create_regular_session(venue, weekday=0, start_time=time(10, 0), champions=[champion])
    factories.create_session(venue, date(2026, 11, 23))  # logged; the 30th is not
    result = _send(runner)
    assert result.exit_code == 0, result.output
    assert "1 sent" in result.output
    [message] = mail_server.messages
    assert message["To"] == "amy@example.org"
    assert message["Subject"] == "1 session to log"
    body = body_of(message)
    assert "Hello Amy Champion" in body
    assert "Monday 30 November, 10:00 at Central Library" in body
    assert "23 November" not in body
    assert f"http://localhost/regular/{slot.id}/log?on=2026-11-30" in links_in(message)


def test_only_the_last_fourteen_days_are_listed(runner, mail_server, champion, venue):
    factories.create_regular_session(venue, weekday=0, starts_on=date(2026, 10, 5), champions=[champion])
    _send(runner)
    body = body_of(mail_server.messages[0])
    assert "Monday 30 November" in body and "Monday 23 November" in body
    assert "16 November" not in body  # 15 days before


def test_the_link_opens_the_form_filled_from_the_slot(runner, mail_server, client, champion, venue):
    factories.create_regular_session(
        venue,
        weekday=0,
        starts_on=date(2026, 11, 24),
        start_time=time(13, 0),
        duration_minutes=45,
        champions=[champion],
    )
    _send(runner)
    [link] = [link for link in links_in(mail_server.messages[0]) if "/regular/" in link]
    client.post("/login", data={"email": champion.email, "password": factories.DEFAULT_PASSWORD})
    parts = urlsplit(link)
    response = client.get(f"{parts.path}?{parts.query}", follow_redirects=True)
    form = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="session_date-day" name="session_date" type="text" value="30"' in form
    assert 'name="start_time" type="text" value="13:00"' in form
    assert 'name="duration_minutes" type="text" value="45"' in form


def test_nobody_else_gets_one(runner, mail_server, champion, venue):
    coordinator = factories.create_user("coordinator")
    quiet = factories.create_user("champion", partner=champion.partner)  # nothing to log
    inactive = factories.create_user("champion", partner=champion.partner, active=False)
    elsewhere = factories.create_user("champion")  # on the slot, but of another partner now
    factories.create_regular_session(venue, weekday=0, champions=[champion, inactive, elsewhere])
    factories.create_regular_session(factories.create_venue(partner=quiet.partner), weekday=0)  # no champions
    _send(runner)
    assert [message["To"] for message in mail_server.messages] == ["amy@example.org"]
    assert coordinator.email and quiet.email not in {message["To"] for message in mail_server.messages}


def test_a_champion_with_everything_logged_gets_nothing(runner, mail_server, champion, venue):
    factories.create_regular_session(venue, weekday=0, starts_on=date(2026, 11, 23), champions=[champion])
    factories.create_session(venue, date(2026, 11, 23))
    factories.create_session(venue, date(2026, 11, 30))
    result = _send(runner)
    assert result.exit_code == 0 and "0 sent" in result.output
    assert mail_server.messages == []


def test_running_twice_in_a_week_sends_one_email(runner, mail_server, champion, venue):
    factories.create_regular_session(venue, weekday=0, champions=[champion])
    assert _send(runner, "2026-11-30").exit_code == 0
    second = _send(runner, "2026-12-03")  # the Thursday of the same week
    assert second.exit_code == 0, second.output
    assert "0 sent, 1 sent already" in second.output
    assert len(mail_server.messages) == 1
    assert db.session.scalar(select(func.count()).select_from(ReminderSend)) == 1
    _send(runner, "2026-12-07")  # next week: a new reminder
    assert len(mail_server.messages) == 2


def test_a_champion_who_turned_reminders_off_gets_none(runner, mail_server, client, login_as):
    me = login_as("champion")
    factories.create_regular_session(factories.create_venue(partner=me.partner), weekday=0, champions=[me])
    account = client.get("/account").get_data(as_text=True)
    assert (
        "Weekly reminder" in account and 'id="reminders-on" name="reminders" type="radio" value="on" checked' in account
    )
    response = client.post("/regular/reminders", data={"reminders": "off"})
    assert response.status_code == 302
    assert 'value="off" checked' in client.get("/account").get_data(as_text=True)
    _send(runner)
    assert mail_server.messages == []
    client.post("/regular/reminders", data={"reminders": "on"})
    _send(runner)
    assert len(mail_server.messages) == 1


def test_the_account_page_offers_the_switch_to_champions_only(client, login_as):
    login_as("coordinator")
    assert "Weekly reminder" not in client.get("/account").get_data(as_text=True)
    assert client.post("/regular/reminders", data={"reminders": "off"}).status_code == 403


def test_an_unsent_draft_is_listed_until_a_session_is_saved(runner, mail_server, client, login_as):
    me = login_as("champion", email="bea@example.org")
    venue = factories.create_venue("Reddish Library", partner=me.partner)
    ann = factories.create_learner("Ann", partner=me.partner)
    data = session_form(venue, on=date(2026, 11, 26), attendees=[ann], action="register", q="New Person")
    assert client.post("/sessions/new", data=data).status_code == 302
    [mark] = db.session.scalars(select(SessionDraftMark)).all()
    assert (mark.user_id, mark.venue_id, mark.session_date) == (me.id, venue.id, date(2026, 11, 26))
    _send(runner)
    [message] = mail_server.messages
    body = body_of(message)
    assert "You started logging these sessions and did not save them" in body
    assert "Thursday 26 November at Reddish Library" in body
    assert f"http://localhost/sessions/new?date=2026-11-26&venue={venue.id}" in links_in(message)
    # Saved afterwards: next week's run has nothing to say about it.
    assert (
        client.post("/sessions/new", data=session_form(venue, on=date(2026, 11, 26), attendees=[ann])).status_code
        == 302
    )
    _send(runner, "2026-12-07")
    assert len(mail_server.messages) == 1


def test_a_mail_server_that_is_down_is_an_error_and_the_next_run_sends(runner, mail_server, champion, venue):
    factories.create_regular_session(venue, weekday=0, champions=[champion])
    mail_server.stop()
    result = _send(runner)
    assert result.exit_code == 1
    assert "Could not send e-mail" in result.output
    assert db.session.scalar(select(func.count()).select_from(ReminderSend)) == 0  # the claim was given back


def test_a_refused_address_is_reported_and_the_others_are_sent(runner, mail_server, champion, venue):
    other = factories.create_user("champion", email="gone@example.org", partner=champion.partner)
    factories.create_regular_session(venue, weekday=0, champions=[champion, other])
    mail_server.refuse("gone@example.org")
    result = _send(runner)
    assert result.exit_code == 1
    assert "gone@example.org" in result.output
    assert [message["To"] for message in mail_server.messages] == ["amy@example.org"]


def test_a_dry_run_sends_nothing_and_says_who_would_get_one(runner, mail_server, champion, venue):
    factories.create_regular_session(venue, weekday=0, champions=[champion])
    result = _send(runner, MONDAY, "--dry-run")
    assert result.exit_code == 0
    assert "Would remind amy@example.org: 2 not logged, 0 unsent" in result.output
    assert mail_server.messages == []
    assert db.session.scalar(select(func.count()).select_from(ReminderSend)) == 0


def test_a_bad_date_is_a_user_error(runner):
    result = _send(runner, "30/11/2026")
    assert result.exit_code == 1 and "--today must be a date like 2026-11-30" in result.output


def test_without_the_apps_address_the_command_says_what_to_set(runner, app, champion, venue):
    saved = app.config["SERVER_NAME"]
    app.config["SERVER_NAME"] = None
    try:
        result = _send(runner)
    finally:
        app.config["SERVER_NAME"] = saved
    assert result.exit_code == 1 and "Set APP_BASE_URL" in result.output


def test_app_base_url_makes_the_links(runner, app, mail_server, champion, venue):
    slot = factories.create_regular_session(venue, weekday=0, champions=[champion])
    app.config["APP_BASE_URL"] = "https://inclusion.example.org/"
    try:
        _send(runner)
    finally:
        app.config["APP_BASE_URL"] = None
    assert f"https://inclusion.example.org/regular/{slot.id}/log?on=2026-11-30" in links_in(mail_server.messages[0])


def test_a_slot_at_a_closed_venue_is_not_reminded_of(runner, mail_server, champion, venue):
    from inclusion.timeutil import utcnow

    factories.create_regular_session(venue, weekday=0, champions=[champion])
    venue.closed_at = utcnow()
    db.session.commit()
    _send(runner)
    assert mail_server.messages == []
