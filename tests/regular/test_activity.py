"""The champion-activity page: sessions and learners per champion lately, who has gone quiet, for coordinators."""

from datetime import date, timedelta

from inclusion.extensions import db
from inclusion.regular.activity import champion_activity
from inclusion.sessions.models import session_champions
from inclusion.timeutil import today_in_london
from tests import factories

TODAY = date(2026, 11, 30)


def _logged(champion, venue, day, attendees=()):
    learning_session = factories.create_session(venue, day, attendees=list(attendees), created_by=champion)
    db.session.execute(session_champions.insert().values(session_id=learning_session.id, user_id=champion.id))
    db.session.commit()
    return learning_session


def _row(rows, user):
    [row] = [row for row in rows if row.user_id == user.id]
    return row


def test_sessions_and_learners_in_the_last_30_and_90_days_and_the_last_date():
    amy = factories.create_user("champion", name="Amy")
    venue = factories.create_venue(partner=amy.partner)
    ann, bob, cat = (factories.create_learner(name, partner=amy.partner) for name in ("Ann", "Bob", "Cat"))
    _logged(amy, venue, date(2026, 11, 28), [ann, bob])  # 3 days ago: in both
    _logged(amy, venue, date(2026, 11, 1), [ann])  # 30th day back: in both
    _logged(amy, venue, date(2026, 10, 31), [cat])  # 31st day back: in 90 only
    _logged(amy, venue, date(2026, 9, 1), [cat])  # 91st day back: in neither
    _logged(amy, venue, date(2026, 12, 5), [cat])  # after "today": not counted
    row = _row(champion_activity(TODAY), amy)
    assert (row.sessions_30, row.sessions_90) == (2, 3)
    assert (row.learners_30, row.learners_90) == (2, 3)
    assert row.last_logged == date(2026, 11, 28)
    assert not row.silent(TODAY)


def test_a_merged_duplicate_counts_once_as_the_learner_kept():
    from inclusion.learners.merging import merge_learners

    amy = factories.create_user("champion")
    venue = factories.create_venue(partner=amy.partner)
    kept = factories.create_learner("Ann", partner=amy.partner)
    duplicate = factories.create_learner("Ann", partner=amy.partner)
    _logged(amy, venue, date(2026, 11, 20), [kept])
    _logged(amy, venue, date(2026, 11, 21), [duplicate])
    merge_learners(kept.id, duplicate.id, acting_user_id=None)
    assert _row(champion_activity(TODAY), amy).learners_30 == 1


def test_champions_silent_for_30_days_or_who_never_logged_come_first():
    busy = factories.create_user("champion", name="Aaron Busy")
    quiet = factories.create_user("champion", name="Zoe Quiet", partner=busy.partner)
    never = factories.create_user("champion", name="Yan Never", partner=busy.partner)
    venue = factories.create_venue(partner=busy.partner)
    _logged(busy, venue, date(2026, 11, 25))
    _logged(quiet, venue, date(2026, 10, 31))  # 30 days before today: silent
    rows = champion_activity(TODAY)
    assert [row.name for row in rows] == ["Yan Never", "Zoe Quiet", "Aaron Busy"]
    assert [row.silent(TODAY) for row in rows] == [True, True, False]
    assert _row(rows, never).last_logged is None and _row(rows, never).sessions_90 == 0
    assert _row(rows, quiet).sessions_90 == 1


def test_the_filter_by_partner_and_inactive_champions_left_out():
    amy = factories.create_user("champion", name="Amy")
    factories.create_user("champion", name="Gone", partner=amy.partner, active=False)
    other = factories.create_user("champion", name="Other")
    assert [row.name for row in champion_activity(TODAY, partner_id=amy.partner_id)] == ["Amy"]
    assert {row.name for row in champion_activity(TODAY)} == {"Amy", "Other"}
    assert other.partner_id != amy.partner_id


def test_the_page_takes_the_same_few_queries_whatever_the_number_of_champions(client, login_as, count_queries):
    login_as("coordinator")
    partner = factories.create_partner()
    venue = factories.create_venue(partner=partner)

    def page_queries() -> int:
        with count_queries() as queries:
            assert client.get("/reports/champion-activity").status_code == 200
        return queries.count

    for _ in range(2):
        _logged(factories.create_user("champion", partner=partner), venue, today_in_london() - timedelta(days=3))
    few = page_queries()
    for _ in range(8):
        _logged(factories.create_user("champion", partner=partner), venue, today_in_london() - timedelta(days=3))
    assert page_queries() == few


def test_a_coordinator_sees_the_page_with_silent_champions_marked(client, login_as):
    login_as("coordinator")
    quiet = factories.create_user("champion", name="Zoe Quiet")
    page = client.get("/reports/champion-activity").get_data(as_text=True)
    assert "Zoe Quiet" in page and "Silent 30 days" in page and "Never" in page
    assert quiet.partner.name in page


def test_a_coordinator_of_one_partner_sees_only_its_champions_and_another_partner_is_refused(client, login_as):
    mine = factories.create_partner("Mine")
    theirs = factories.create_partner("Theirs")
    factories.create_user("champion", name="My Champion", partner=mine)
    factories.create_user("champion", name="Their Champion", partner=theirs)
    login_as("coordinator", partner=mine)
    page = client.get("/reports/champion-activity").get_data(as_text=True)
    assert "My Champion" in page and "Their Champion" not in page
    page = client.get(f"/reports/champion-activity?partner={theirs.id}").get_data(as_text=True)
    assert "you can see only the champions of partners you work with" in page
    assert "Their Champion" not in page


def test_an_alliance_coordinator_filters_by_partner(client, login_as):
    mine = factories.create_partner("Mine")
    theirs = factories.create_partner("Theirs")
    factories.create_user("champion", name="My Champion", partner=mine)
    factories.create_user("champion", name="Their Champion", partner=theirs)
    login_as("coordinator")
    page = client.get(f"/reports/champion-activity?partner={theirs.id}").get_data(as_text=True)
    assert "Their Champion" in page and "My Champion" not in page


def test_funders_and_champions_never_see_it(client, login_as):
    login_as("funder")
    assert client.get("/reports/champion-activity").status_code == 403


def test_champions_never_see_it(client, login_as):
    login_as("champion")
    assert client.get("/reports/champion-activity").status_code == 403


def test_a_long_list_comes_a_hundred_champions_a_page_silent_first(client, login_as):
    from inclusion.regular.activity_views import PER_PAGE

    login_as("coordinator")
    partner = factories.create_partner()
    busy = factories.create_user("champion", name="Aaa Busy", partner=partner)
    _logged(busy, factories.create_venue(partner=partner), today_in_london() - timedelta(days=1))
    for number in range(PER_PAGE):
        factories.create_user("champion", name=f"Quiet {number:03d}", partner=partner)
    first = client.get("/reports/champion-activity").get_data(as_text=True)
    assert "101 champions, 100 silent" in first and "Quiet 000" in first and "Aaa Busy" not in first
    second = client.get("/reports/champion-activity?page=2").get_data(as_text=True)
    assert "Aaa Busy" in second and "Page 2 of 2" in second
