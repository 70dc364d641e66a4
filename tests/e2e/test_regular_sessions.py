"""In a real browser: a coordinator sets up a regular session (every problem at once first), changes it;
a champion sees their regular sessions at home and logs one from the sessions list. axe-core on each page."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import sign_in

pytestmark = pytest.mark.e2e


def _signed_in(page, live_server, role):
    account = live_server.account(role)
    sign_in(page, account.email, account.password)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_a_coordinator_sets_up_changes_and_removes_a_regular_session(browser_page, live_server, viewport):
    page, checker = browser_page
    _signed_in(page, live_server, "coordinator")
    page.goto("/regular/")
    checker.check("regular-list")
    page.get_by_role("button", name="Set up a regular session").click()
    checker.check("regular-new")
    page.get_by_label("Venue").select_option(label="Marple Library")
    page.get_by_label("Day of the week").select_option(label="Friday")
    page.get_by_label("Start time").fill("23:30")
    page.get_by_label("Duration in minutes").fill("90")
    first = page.get_by_role("group", name=re.compile(r"^\s*First date"))
    first.get_by_label("Day").fill("1")
    first.get_by_label("Month").fill("12")
    first.get_by_label("Year").fill("2026")
    last = page.get_by_role("group", name=re.compile(r"^\s*Last date"))
    last.get_by_label("Day").fill("3")
    last.get_by_label("Month").fill("12")
    last.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Save regular session").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is no Friday between 1 December 2026 and 3 December 2026")
    expect(summary).to_contain_text("it can last at most 30 minutes")
    checker.check("regular-new-errors")
    page.get_by_label("Day of the week").select_option(label="Tuesday")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_role("button", name="Save regular session").click()
    expect(page.get_by_text("Regular session set up")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Marple Library").filter(has_text="Tuesdays at 10:00")
    expect(row).to_have_count(1)
    row.get_by_role("link", name=re.compile("^Change")).click()
    checker.check("regular-edit")
    page.get_by_label("Start time").fill("10:30")
    page.get_by_role("button", name="Save regular session").click()
    expect(page.get_by_text("Regular session changed")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Marple Library").filter(has_text="Tuesdays at 10:30")
    row.get_by_role("link", name=re.compile("^Remove")).click()
    checker.check("regular-delete")
    page.get_by_role("button", name="Yes, remove it").click()
    expect(page.get_by_text("Regular session removed")).to_be_visible()


def test_a_champion_logs_a_regular_session_from_the_sessions_list(browser_page, live_server, viewport):
    page, checker = browser_page
    _signed_in(page, live_server, "champion")
    expect(page.get_by_role("heading", name="Your regular sessions")).to_be_visible()
    checker.check("champion-home-regular")
    page.goto("/sessions/")
    section = page.locator("section", has=page.get_by_role("heading", name="Regular sessions, last week and this week"))
    expect(section).to_be_visible()
    checker.check("sessions-with-regular")
    # The demo's Reddish Library slot is on Mondays, which the demo never logs: last Monday is there.
    section.get_by_role("link", name=re.compile("^Log this session at Reddish Library")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Log a session")
    expect(page.get_by_label("Start time (optional)")).to_have_value("14:00")
    expect(page.get_by_label("Duration in minutes")).to_have_value("90")
    checker.check("session-form-from-regular")


def test_a_coordinator_reads_champion_activity(browser_page, live_server, viewport):
    page, checker = browser_page
    _signed_in(page, live_server, "coordinator")
    page.goto("/reports/champion-activity")
    expect(page.get_by_role("heading", level=1)).to_have_text("Champion activity")
    expect(page.get_by_role("rowheader", name=re.compile("Sam Champion"))).to_be_visible()
    page.get_by_label("Partner").select_option(label="Age Friendly Stockport")
    page.get_by_role("button", name="Apply filter").click()
    expect(page.get_by_role("rowheader", name=re.compile("Jo Champion"))).to_be_visible()
    expect(page.get_by_role("rowheader", name=re.compile("Sam Champion"))).to_have_count(0)
    checker.check("champion-activity")
