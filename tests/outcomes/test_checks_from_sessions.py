"""Confidence checks offered where they happen: a baseline at registration or at a first session, an exit
check from the saved session page (filled from the session, and back to it)."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from inclusion.extensions import db
from inclusion.outcomes import services
from inclusion.outcomes.models import ConfidenceCheck
from inclusion.outcomes.session_links import confidence_stages
from inclusion.sessions.queries import session_attendees
from tests import factories

SESSION_DAY = date(2026, 11, 17)
ANSWERS = {"overall": "4", "fnd": "4", "com": "", "hic": "3", "tra": "", "prb": "", "saf": "5"}


@pytest.fixture
def place():
    partner = factories.create_partner("Libraries")
    return partner, factories.create_venue("Central Library", partner)


def _baseline(learner, venue, user=None):
    user = user or factories.create_user("coordinator")
    details = services.CheckDetails("baseline", date(2026, 9, 1), venue.id, {"overall": 2})
    return services.record_check(user, learner.reference, details)


def _link(html: str, reference: str) -> tuple[str, str]:
    """The (text, href) of the confidence check link for one attendee of the session page."""
    found = re.search(
        rf'href="(/learners/{reference}/confidence/new\?session=\d+)">(Record (?:baseline|exit) check)<', html
    )
    assert found, f"no confidence check link for {reference}"
    return found.group(2), found.group(1)


def test_the_saved_session_page_offers_a_baseline_or_an_exit_check_for_each_attendee(client, login_as, place):
    partner, venue = place
    login_as("champion", partner=partner)
    new, returning = factories.create_learner(partner=partner), factories.create_learner(partner=partner)
    _baseline(returning, venue)
    session = factories.create_session(venue, SESSION_DAY, attendees=[new, returning])

    html = client.get(f"/sessions/{session.id}").text
    assert _link(html, new.reference) == (
        "Record baseline check",
        f"/learners/{new.reference}/confidence/new?session={session.id}",
    )
    assert _link(html, returning.reference)[0] == "Record exit check"


def test_an_exit_check_from_the_session_is_filled_from_it_and_returns_to_it(client, login_as, place):
    partner, venue = place
    factories.create_venue("Branch Library", partner)  # listed first: the venue must come from the session
    login_as("champion", partner=partner)
    learner = factories.create_learner(partner=partner)
    _baseline(learner, venue)
    session = factories.create_session(venue, SESSION_DAY, attendees=[learner])
    path = f"/learners/{learner.reference}/confidence/new?session={session.id}"

    form = client.get(path).text
    assert "From the session on 17 November 2026 at Central Library" in form
    assert f'href="/sessions/{session.id}" class="govuk-back-link">Back to the session' in form
    for part, value in (("day", "17"), ("month", "11"), ("year", "2026")):
        assert re.search(rf'id="checked_on-{part}"[^>]*value="{value}"', form), part
    assert f'<option value="{venue.id}" selected>' in form
    assert re.search(r'name="stage" type="radio" value="exit" checked', form)

    posted = {"stage": "exit", "venue_id": str(venue.id), "checked_on": ["17", "11", "2026"], **ANSWERS}
    response = client.post(path, data=posted)
    assert response.status_code == 302 and response.location.endswith(f"/sessions/{session.id}")
    check = db.session.scalar(select(ConfidenceCheck).where(ConfidenceCheck.stage == "exit"))
    assert (check.learner_id, check.checked_on, check.venue_id, check.overall) == (learner.id, SESSION_DAY, venue.id, 4)
    assert _link(client.get(f"/sessions/{session.id}").text, learner.reference)[0] == "Record exit check"


def test_a_session_the_champion_may_not_open_is_refused_and_nothing_is_written(client, login_as, place):
    partner, venue = place
    login_as("champion", partner=partner)
    learner = factories.create_learner(partner=partner)
    elsewhere = factories.create_session(factories.create_venue("Far Hall", factories.create_partner("Other")))
    posted = {"stage": "baseline", "venue_id": str(venue.id), "checked_on": ["17", "11", "2026"], **ANSWERS}
    path = f"/learners/{learner.reference}/confidence/new?session="
    assert client.get(f"{path}{elsewhere.id}").status_code == 403
    assert client.post(f"{path}{elsewhere.id}", data=posted).status_code == 403
    assert client.get(f"{path}999999").status_code == 404
    assert db.session.scalar(select(func.count(ConfidenceCheck.id))) == 0


def test_a_newly_registered_learner_is_offered_a_baseline_on_their_page(client, login_as, place):
    partner, _venue = place
    login_as("champion", partner=partner)
    registered = client.post(
        "/learners/new",
        data={
            "first_name": "Winifred",
            "last_name": "Ashworth",
            "lawful_basis": "consent",
            "consent_given": "y",
            "consent_method": "verbal",
            "age_band": "65-74",
        },
    )
    assert registered.status_code == 302, registered.text
    page = client.get(registered.location).text
    assert "Learner registered" in page
    assert "No baseline check yet" in page and "Record a baseline confidence check" in page


def test_the_stages_of_a_sessions_attendees_take_one_query(place, count_queries):
    partner, venue = place
    learners = [factories.create_learner(partner=partner) for _ in range(6)]
    _baseline(learners[0], venue)
    session = factories.create_session(venue, SESSION_DAY, attendees=learners)
    attendees = session_attendees(session)
    with count_queries() as queries:
        stages = confidence_stages(attendees)
    assert queries.count == 1
    assert stages == {learner.id: "exit" if learner is learners[0] else "baseline" for learner in learners}
