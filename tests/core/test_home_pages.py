"""The role home pages lead to each role's main task (issue 14, part 3)."""

from datetime import date, timedelta

from sqlalchemy import insert

from inclusion.extensions import db
from inclusion.imports.parsing import Table
from inclusion.imports.uploads import store_upload
from inclusion.sessions.models import session_champions
from inclusion.timeutil import utcnow
from tests import factories


def test_a_funder_lands_on_the_dashboard(client, login_as):
    login_as("funder")
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/reports/")


def test_a_champion_starts_with_log_a_session_and_register_a_learner(client, login_as):
    login_as("champion", partner=factories.create_partner())
    html = client.get("/").get_data(as_text=True)
    assert 'class="govuk-button govuk-button--start"' in html
    assert 'href="/sessions/new"' in html and "Log a session" in html
    assert 'href="/learners/new"' in html and "Register a learner" in html
    assert '<div id="offline-queue"></div>' in html  # filled by the offline script, in the browser
    assert "You have not logged a session yet" in html


def test_a_champion_sees_their_own_recent_sessions_newest_first(client, login_as):
    partner = factories.create_partner()
    venue = factories.create_venue("Reddish Library", partner)
    champion = login_as("champion", partner=partner)
    older = factories.create_session(venue, date(2026, 11, 3), session_type="group")
    newer = factories.create_session(venue, date(2026, 11, 24), attendees=[factories.create_learner(partner=partner)])
    someone_elses = factories.create_session(venue, date(2026, 11, 25))
    db.session.execute(
        insert(session_champions), [{"session_id": s.id, "user_id": champion.id} for s in (older, newer)]
    )
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert html.index(f"/sessions/{newer.id}") < html.index(f"/sessions/{older.id}")
    assert f"/sessions/{someone_elses.id}" not in html
    assert "Group at Reddish Library · 0 learners" in html
    assert "Drop-in at Reddish Library · 1 learner" in html


def test_a_champion_with_an_unfinished_session_is_offered_to_carry_on(client, login_as):
    login_as("champion", partner=factories.create_partner())
    with client.session_transaction() as cookie:
        cookie["session_draft"] = {"pairs": [("notes", "half done")], "return_to": "/sessions/new"}
    html = client.get("/").get_data(as_text=True)
    assert 'href="/sessions/new?resume=1"' in html
    assert "Your unfinished session" in html


def test_a_coordinator_sees_the_months_figures_so_far(client, login_as, monkeypatch):
    from inclusion.reports import home as reports_home

    monkeypatch.setattr(reports_home, "today_in_london", lambda: date(2026, 12, 2))
    venue = factories.create_venue()
    learners = [factories.create_learner(date_of_birth=date(1950, 1, 1)) for _ in range(3)]
    factories.create_session(venue, date(2026, 12, 1), attendees=learners, skills={learners[0]: ["FND-01"]})
    factories.create_session(venue, date(2026, 11, 20), attendees=learners[:1])
    login_as("coordinator")
    html = client.get("/").get_data(as_text=True)
    assert "December 2026 so far" in html
    # December: 3 adults, all new (first attendance of two was November for one: 2 new), 1 session, 1 skill.
    assert '<span class="app-home-figures__value">3</span> <span class="app-home-figures__label">adults helped' in html
    assert '<span class="app-home-figures__value">2</span> <span class="app-home-figures__label">new learners' in html
    assert '<span class="app-home-figures__value">1</span> <span class="app-home-figures__label">sessions' in html
    assert "3 adults helped so far: 0.1% of the 5,000 target" in html


def test_a_coordinator_sees_the_duplicates_waiting(client, login_as):
    factories.create_learner("Margaret", "Hughes", date_of_birth=date(1948, 3, 2))
    factories.create_learner("Margaret", "Hughs", date_of_birth=date(1948, 3, 2))
    login_as("coordinator")
    html = client.get("/").get_data(as_text=True)
    assert "1 pair to check" in html and 'href="/learners/duplicates"' in html


def test_a_coordinator_sees_their_own_imports_not_yet_confirmed(client, login_as):
    coordinator = login_as("coordinator")
    other = factories.create_user(role="coordinator")
    table = Table(columns=["first_name"], rows=[(2, {"first_name": "Ann"})])
    store_upload("learners", table, "october-register.csv", coordinator.id)
    store_upload("learners", table, "someone-elses.csv", other.id)
    store_upload("attendance", table, "stale.csv", coordinator.id, now=utcnow() - timedelta(days=2))
    html = client.get("/").get_data(as_text=True)
    assert "october-register.csv (learners)" in html
    assert "someone-elses.csv" not in html and "stale.csv" not in html
    assert "1 spreadsheet was checked but not imported" in html


def test_a_coordinator_with_nothing_waiting_is_told_so(client, login_as):
    login_as("coordinator")
    html = client.get("/").get_data(as_text=True)
    assert "No possible duplicates to check" in html and "No imports waiting" in html
