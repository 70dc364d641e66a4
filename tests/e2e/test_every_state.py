"""Pages that take parameters, and error states, pass the audit at 390 and 1280 px (issue 14).

test_sign_in.py audits every page without parameters; this walks the others (a learner, a session,
a venue, a user, an import preview...) with ids read from the demo database, and the pages as they
are when a form comes back with errors. Each page: axe-core finds nothing, whatever the impact
(the "region" rule included), and nothing is wider than the window (tables wrap, not clip).
"""

import re
import sqlite3

import pytest
from playwright.sync_api import expect

from tests.e2e.support import sign_in

pytestmark = pytest.mark.e2e
ANY = re.IGNORECASE


def _ids(live_server) -> dict:
    with sqlite3.connect(live_server.database) as connection:
        one = lambda sql: connection.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "learner": one(
                "SELECT reference FROM learners WHERE anonymised_at IS NULL AND merged_into_id IS NULL "
                "AND registered_partner_id = (SELECT id FROM partners WHERE name = 'Stockport Libraries') "
                "ORDER BY id DESC LIMIT 1"
            ),
            "session": one(
                "SELECT s.id FROM learning_sessions s JOIN venues v ON v.id = s.venue_id "
                "JOIN partners p ON p.id = v.partner_id WHERE p.name = 'Stockport Libraries' "
                "AND EXISTS (SELECT 1 FROM attendances a WHERE a.session_id = s.id) ORDER BY s.id DESC LIMIT 1"
            ),
            "venue": one("SELECT id FROM venues WHERE closed_at IS NULL ORDER BY id LIMIT 1"),
            "other_partner": one("SELECT id FROM partners WHERE name = 'Age Friendly Stockport'"),
            "partner": one("SELECT id FROM partners ORDER BY id LIMIT 1"),
            "user": one("SELECT id FROM users WHERE role = 'champion' ORDER BY id LIMIT 1"),
            "milestone": one("SELECT id FROM milestones ORDER BY id LIMIT 1"),
        }


def _signed_in(page, live_server, role: str) -> None:
    page.set_default_timeout(60_000)  # the archive and the large pages, on a machine shared with other work
    account = live_server.account(role)
    sign_in(page, account.email, account.password)
    expect(page.locator(".app-header__user")).to_contain_text(role.capitalize())


def _visit(page, checker, url: str, name: str) -> None:
    response = page.goto(url)
    assert response.status < 400, f"{url}: {response.status}"
    checker.check(name)


def test_a_champions_pages_with_parameters_and_errors(browser_page, live_server, viewport):
    page, checker = browser_page
    ids = _ids(live_server)
    _signed_in(page, live_server, "champion")
    for url, name in (
        ("/", "home"),
        (f"/learners/{ids['learner']}", "learner"),
        (f"/learners/{ids['learner']}/edit", "learner-edit"),
        (f"/learners/{ids['learner']}/confidence/new", "confidence-check"),
        (f"/sessions/{ids['session']}", "session"),
        (f"/sessions/{ids['session']}/edit", "session-edit"),
        (f"/sessions/{ids['session']}/delete", "session-delete"),
        ("/learners/?q=margaret", "learner-search"),
        ("/sessions/?venue=" + str(ids["venue"]), "sessions-filtered"),
    ):
        _visit(page, checker, url, name)

    page.goto("/learners/new")
    page.get_by_role("button", name=re.compile("register learner", ANY)).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    checker.check("register-errors")

    page.goto("/sessions/new")
    page.get_by_label(re.compile("duration", ANY)).fill("")
    page.get_by_role("button", name=re.compile("^save", ANY)).first.click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    checker.check("session-errors")


def test_a_coordinators_pages_with_parameters_and_errors(browser_page, live_server, viewport, tmp_path):
    page, checker = browser_page
    ids = _ids(live_server)
    _signed_in(page, live_server, "coordinator")
    for url, name in (
        ("/", "home"),
        ("/reports/?month=2099-13", "dashboard-bad-month"),
        (f"/reports/?partner={ids['other_partner']}&venue={ids['venue']}", "dashboard-venue-not-in-partner"),
        (f"/reports/?partner={ids['partner']}", "dashboard-one-partner"),
        ("/reports/archive", "archive"),
        ("/learners/duplicates", "duplicates"),
        (f"/learners/{ids['learner']}/anonymise", "anonymise"),
        (f"/admin/venues/{ids['venue']}/edit", "venue-edit"),
        (f"/admin/venues/{ids['venue']}/close", "venue-close"),
        ("/admin/skills", "skills"),
    ):
        _visit(page, checker, url, name)

    for url, button in (("/admin/venues", "add venue"), ("/admin/skills", "add")):
        page.goto(url)
        page.get_by_role("button", name=re.compile(f"^{button}", ANY)).last.click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_focused()  # not the form's heading further down
        checker.check(f"{url.strip('/').replace('/', '-')}-errors")

    sample = tmp_path / "learners.csv"
    sample.write_text(
        "reference,first_name,last_name,date_of_birth,partner,consent,skills_note\n"
        "L-E2E01,Agatha,Pemberton-Worthington,1944-05-06,Stockport Libraries,yes,long\n"
        ",Bob,,1950-01-01,Nowhere,yes,x\n",
        encoding="utf-8",
    )
    page.goto("/imports/")
    page.get_by_label(re.compile("learners", ANY)).first.check()
    page.locator("input[type=file]").set_input_files(str(sample))
    page.get_by_role("button", name=re.compile("upload|check|preview", ANY)).click()
    expect(page).to_have_url(re.compile(r"/imports/[^/]+$"))
    checker.check("import-preview-with-problems")

    page.goto("/imports/")
    page.get_by_role("button", name=re.compile("upload|check|preview", ANY)).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    checker.check("import-no-file")


def test_an_admins_pages_with_parameters_and_errors(browser_page, live_server, viewport):
    page, checker = browser_page
    ids = _ids(live_server)
    _signed_in(page, live_server, "admin")
    for url, name in (
        (f"/admin/users/{ids['user']}", "user"),
        ("/admin/users/invite", "invite"),
        (f"/admin/partners/{ids['partner']}/edit", "partner-edit"),
        (f"/admin/milestones/{ids['milestone']}/edit", "milestone-edit"),
        ("/admin/audit?action=learner_registered", "audit-filtered"),
        ("/dev/mail", "dev-mail"),
    ):
        _visit(page, checker, url, name)

    page.goto("/admin/milestones")
    page.get_by_role("button", name=re.compile("save milestone|add", ANY)).last.click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    checker.check("milestones-errors")

    page.goto("/admin/users/invite")
    page.get_by_role("button", name=re.compile("invite|send", ANY)).last.click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    checker.check("invite-errors")


def test_a_funder_lands_on_the_dashboard_and_its_states_pass(browser_page, live_server, viewport):
    page, checker = browser_page
    _signed_in(page, live_server, "funder")
    expect(page).to_have_url(re.compile(r"/reports/$"))
    checker.check("landing-dashboard")
    _visit(page, checker, "/reports/?month=2099-13", "dashboard-bad-month")


def test_signed_out_error_states(browser_page, live_server, viewport):
    page, checker = browser_page
    page.set_default_timeout(60_000)
    page.goto("/login")
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_label("Password", exact=True).fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    checker.check("sign-in-error")
    response = page.goto("/no-such-page")
    assert response.status == 404
    checker.check("not-found")
    assert page.request.get("/favicon.ico").status == 200  # the icon, not a 404
