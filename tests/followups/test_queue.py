"""The follow-up queue: who is in it, in what order, and who may see which partner's."""

from datetime import date, datetime

import pytest

from inclusion.extensions import db
from inclusion.followups import queue
from inclusion.followups.models import ANSWER_COLUMNS, FollowUp
from inclusion.learners.merging import merge_learners
from tests import factories
from tests.followups.conftest import TODAY


def _attended(learner, venue, day):
    factories.create_session(venue, day, attendees=[learner])
    return learner


def _follow_up(learner, outcome, day=date(2026, 12, 1)):
    answers = dict.fromkeys(ANSWER_COLUMNS, True if outcome == "reached" else None)
    db.session.add(FollowUp(learner_id=learner.id, followed_up_on=day, outcome=outcome, **answers))
    db.session.commit()


@pytest.fixture
def alliance():
    """Reddish (the champion's partner) and Marple, each with learners at one venue of theirs."""
    reddish, marple = factories.create_partner("Reddish"), factories.create_partner("Marple")
    at_reddish, at_marple = (
        factories.create_venue("Reddish Library", reddish),
        factories.create_venue("Marple Hub", marple),
    )
    people = {}
    for name, day in (
        ("Oldest", date(2026, 6, 1)),  # due 30 August: the longest overdue
        ("Overdue", date(2026, 9, 1)),  # due 30 November
        ("Today", date(2026, 9, 16)),  # due today, 15 December
        ("Tomorrow", date(2026, 9, 17)),  # due 16 December: not yet
        ("NoContact", date(2026, 6, 1)),
        ("Reached", date(2026, 6, 1)),
        ("Declined", date(2026, 6, 1)),
        ("Tried", date(2026, 8, 1)),  # due 30 October, not reached once: still in the queue
        ("TriedThrice", date(2026, 8, 1)),
        ("Anonymised", date(2026, 6, 1)),
        ("Teen", date(2026, 6, 1)),
    ):
        fields = {"may_contact": False} if name == "NoContact" else {}
        if name == "Anonymised":
            fields["anonymised_at"] = datetime(2026, 11, 1, 9)
        if name == "Teen":
            fields["date_of_birth"] = date(2012, 1, 1)
        people[name] = _attended(factories.create_learner(name, partner=reddish, **fields), at_reddish, day)
    people["NeverCame"] = factories.create_learner("NeverCame", partner=reddish)
    # Registered at Marple, came to Reddish: in Marple's queue (the registering partner's), not Reddish's.
    people["MarpleLearner"] = _attended(
        factories.create_learner("MarpleLearner", partner=marple), at_reddish, date(2026, 7, 1)
    )
    _attended(factories.create_learner("AlsoMarple", partner=marple), at_marple, date(2026, 7, 2))
    _follow_up(people["Reached"], "reached")
    _follow_up(people["Declined"], "declined")
    _follow_up(people["Tried"], "not-reached", date(2026, 11, 20))
    for day in (1, 8, 12):
        _follow_up(people["TriedThrice"], "not-reached", date(2026, 12, day))
    return reddish, marple, people


def _names(page):
    return [row.learner.first_name for row in page.rows]


def test_the_queue_holds_learners_due_by_today_the_longest_overdue_first(alliance):
    reddish, _, _ = alliance
    coordinator = factories.create_user("coordinator")
    page = queue.follow_up_queue(coordinator, reddish.id, TODAY)
    assert _names(page) == ["Oldest", "Teen", "Tried", "Overdue", "Today"]
    assert page.total == 5
    tried = next(row for row in page.rows if row.learner.first_name == "Tried")
    assert (tried.attempts, tried.last_tried, tried.due_on, tried.overdue_days(TODAY)) == (
        1,
        date(2026, 11, 20),
        date(2026, 10, 30),
        46,
    )
    assert page.rows[-1].overdue_days(TODAY) == 0  # due today


def test_who_asked_not_to_be_contacted_is_never_in_the_queue(alliance):
    reddish, _, people = alliance
    coordinator = factories.create_user("coordinator")
    assert "NoContact" not in _names(queue.follow_up_queue(coordinator, reddish.id, TODAY))
    people["Oldest"].may_contact = False
    db.session.commit()
    assert "Oldest" not in _names(queue.follow_up_queue(coordinator, reddish.id, TODAY))


def test_a_merged_duplicate_is_followed_up_once_as_the_learner_kept(alliance):
    reddish, _, people = alliance
    coordinator = factories.create_user("coordinator")
    merge_learners(people["Today"].id, people["Overdue"].id, acting_user_id=coordinator.id)
    # The kept learner's first attendance is now the duplicate's (1 September): due 30 November.
    page = queue.follow_up_queue(coordinator, reddish.id, TODAY)
    assert _names(page) == ["Oldest", "Teen", "Tried", "Today"]
    assert page.rows[-1].due_on == date(2026, 11, 30)


def test_the_queue_is_paged(alliance):
    reddish, _, _ = alliance
    coordinator = factories.create_user("coordinator")
    second = queue.follow_up_queue(coordinator, reddish.id, TODAY, page=2, per_page=2)
    assert (_names(second), second.pages, second.total) == (["Tried", "Overdue"], 3, 5)
    assert _names(queue.follow_up_queue(coordinator, reddish.id, TODAY, page=99, per_page=2)) == ["Today"]


def test_a_champion_sees_only_their_own_partners_queue_whatever_they_ask(client, alliance):
    reddish, marple, _ = alliance
    from tests.security.support import sign_in

    champion = factories.create_user("champion", partner=reddish)
    sign_in(client, champion)
    page = client.get(f"/followups/?partner={marple.id}").get_data(as_text=True)
    assert "Oldest" in page and "MarpleLearner" not in page and "AlsoMarple" not in page
    assert "5 learners to follow up" in page


def test_coordinators_choose_a_partner_or_every_partner(client, login_as, alliance):
    reddish, marple, _ = alliance
    login_as("coordinator")
    marple_page = client.get(f"/followups/?partner={marple.id}").get_data(as_text=True)
    assert "MarpleLearner" in marple_page and "AlsoMarple" in marple_page and "Oldest" not in marple_page
    every = client.get("/followups/?partner=all").get_data(as_text=True)
    assert "7 learners to follow up" in every


def test_funders_never_reach_the_queue(client, login_as, alliance):
    login_as("funder")
    assert client.get("/followups/").status_code == 403


def test_the_home_page_shows_the_size_of_the_queue(client, login_as, alliance):
    reddish, _, _ = alliance
    login_as("coordinator", partner=reddish)
    page = client.get("/").get_data(as_text=True)
    assert "5 learners are due a follow-up</a> at Reddish" in page
    assert f"/followups/?partner={reddish.id}" in page


def test_the_queue_page_counts_its_queries(app, alliance, count_queries):
    reddish, _, _ = alliance
    coordinator = factories.create_user("coordinator")
    assert coordinator.role == "coordinator" and coordinator.partner is None  # loaded, as a signed-in user is
    partner_id = reddish.id
    with count_queries() as queries:
        page = queue.follow_up_queue(coordinator, partner_id, TODAY)
        [row.learner.registered_partner.name for row in page.rows]
    assert queries.count == 3, queries.statements  # the count, the page of learners, their tries


def test_a_champions_home_shows_their_partners_queue_and_one_without_a_partner_sees_none(client, alliance):
    from inclusion.auth.models import User
    from tests.security.support import sign_in

    reddish, _, _ = alliance
    sign_in(client, factories.create_user("champion", partner=reddish))
    assert "5 learners are due a follow-up</a> at Reddish" in client.get("/").get_data(as_text=True)
    loner = factories.create_user("champion")
    db.session.get(User, loner.id).partner_id = None
    db.session.commit()
    other = client.application.test_client()
    sign_in(other, loner)
    home = other.get("/")
    assert home.status_code == 200 and "due a follow-up" not in home.get_data(as_text=True)
    assert other.get("/followups/").status_code == 403
