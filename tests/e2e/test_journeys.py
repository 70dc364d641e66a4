"""The main journeys of champions, coordinators and funders, in a real browser.

They drive pages other issues build (learners and sessions: issue 3; dashboard and CSV: issue 4)
through the routes DESIGN.md fixes, finding fields by their labels and roles so that markup may
change.
"""

import csv
import io
import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.support import sign_in, sign_out

pytestmark = pytest.mark.e2e
ANY = re.IGNORECASE


def _last_month() -> str:
    today = date.today()
    return f"{today.year - (today.month == 1)}-{(today.month - 2) % 12 + 1:02d}"


# Both viewports share the server's database: each registers a different person, so the second run
# is not (rightly) stopped by the possible-duplicate check.
PEOPLE = {
    "phone": ("Winifred", "Ashworth", ("14", "6", "1948"), "sk1 3xe"),
    "desktop": ("Bartholomew", "Quennell", ("3", "2", "1939"), "sk4 1aa"),
}
KEYBOARD_PEOPLE = {
    "phone": ("Kenneth", "Keyboardson", ("9", "11", "1951")),
    "desktop": ("Dorothea", "Tabbington", ("21", "7", "1962")),
}


def _signed_in(page, live_server, role):
    account = live_server.account(role)
    sign_in(page, account.email, account.password)
    # A funder lands on the dashboard; the others on their home page.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dashboard" if role == "funder" else "Welcome")


def test_a_champion_registers_a_learner_logs_a_session_and_finds_the_learner_again(browser_page, live_server, viewport):
    page, checker = browser_page
    first, last, (day, month, year), postcode = PEOPLE[viewport]
    _signed_in(page, live_server, "champion")

    page.goto("/learners/new")
    checker.check("register-learner")
    page.get_by_label(re.compile(r"^\s*first name", ANY)).fill(first)
    page.get_by_label(re.compile(r"^\s*last name", ANY)).fill(last)
    date_of_birth = page.get_by_role("group", name=re.compile("date of birth", ANY))
    date_of_birth.get_by_label("Day").fill(day)
    date_of_birth.get_by_label("Month").fill(month)
    date_of_birth.get_by_label("Year").fill(year)
    page.get_by_label(re.compile("postcode", ANY)).fill(postcode)
    page.get_by_label(re.compile("shown the privacy notice and agrees", ANY)).check()
    page.get_by_role("button", name=re.compile("register|save|add", ANY)).click()
    expect(page.get_by_text(re.compile("learner registered", ANY)).first).to_be_visible()
    reference = re.search(r"L-[A-Z0-9]{5}", page.content()).group(0)
    expect(page.get_by_text(postcode.upper()).first).to_be_visible()
    checker.check("learner-registered")

    page.goto("/sessions/new")
    checker.check("log-session")
    page.get_by_label(re.compile("venue", ANY)).select_option(label="Central Library")
    page.get_by_label(re.compile("duration|minutes", ANY)).fill("60")
    page.get_by_label(re.compile("find a learner", ANY)).fill(reference)
    page.get_by_role("button", name="Find", exact=True).click()
    expect(page.get_by_role("button", name=re.compile(f"add {first} {last}", ANY)).first).to_be_visible()
    checker.check("session-learner-found")
    page.get_by_role("button", name=re.compile(f"add {first} {last}", ANY)).first.click()
    attendee = page.get_by_role("listitem").filter(has_text=f"{first} {last}")
    expect(attendee).to_be_visible()
    checker.check("session-attendee-added")
    attendee.get_by_text(re.compile(r"^\s*skills", ANY)).click()  # open their skills (grouped by area)
    page.get_by_label(re.compile("turn on a device and sign in", ANY)).first.check()
    page.get_by_role("button", name=re.compile("save|log|record", ANY)).click()
    expect(page.get_by_text(re.compile("session (logged|recorded|saved)", ANY)).first).to_be_visible()
    checker.check("session-logged")

    page.goto("/learners/")
    checker.check("find-learner")
    page.get_by_label(re.compile("find a learner|search|name|reference", ANY)).first.fill(last)
    page.keyboard.press("Enter")
    result = page.get_by_role("link", name=re.compile(f"{first} {last}", ANY))
    expect(result.first).to_be_visible()
    checker.check("learner-found")
    result.first.click()
    expect(page.get_by_text(reference).first).to_be_visible()
    checker.check("learner-record")
    sign_out(page)


def test_a_coordinator_filters_the_dashboard_and_downloads_the_monthly_csv(browser_page, live_server):
    page, checker = browser_page
    _signed_in(page, live_server, "coordinator")
    page.goto("/reports/")
    checker.check("dashboard")
    page.get_by_role("combobox", name=re.compile("partner", ANY)).select_option(label="Stockport Libraries")
    page.get_by_role("button", name=re.compile("apply|filter|update|show", ANY)).click()
    expect(page).to_have_url(re.compile(r"partner", ANY))
    checker.check("dashboard-filtered")

    # The whole month's CSV of the demo's thousands of learners, worked out afresh: seconds on a busy machine.
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("link", name=re.compile("csv|download", ANY)).first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0] == ["month", "measure", "dimension", "category", "value"]
    assert any(row[1] == "adults_helped" and row[2] == "total" for row in rows[1:])

    response = page.request.get(f"/reports/monthly/{_last_month()}.csv")
    assert response.status == 200 and response.headers["content-type"].startswith("text/csv")
    sign_out(page)


def test_a_funder_sees_the_figures_but_no_learner(browser_page, live_server):
    page, checker = browser_page
    _signed_in(page, live_server, "funder")
    page.goto("/reports/")
    expect(page.get_by_text(re.compile("adults helped", ANY)).first).to_be_visible()
    checker.check("funder-dashboard")
    with sqlite3.connect(live_server.database) as connection:
        people = connection.execute("SELECT first_name || ' ' || last_name, postcode FROM learners").fetchall()
    text = page.content()
    assert not [name for name, postcode in people if name in text or (postcode and postcode in text)]
    assert page.goto("/learners/").status == 403
    checker.check("funder-refused")
    assert page.goto("/learners/new").status == 403
    assert page.goto("/sessions/new").status == 403
    page.goto("/reports/")
    sign_out(page)


_FOCUSED_LABEL = """() => {
  const e = document.activeElement;
  const own = e.getAttribute("aria-label") || e.innerText || e.value || "";
  const label = e.labels && e.labels.length ? e.labels[0].innerText : own;
  return label.trim();
}"""


def _tab_to(page, pattern: str, limit: int = 80) -> None:
    """Press Tab until the focused control's label matches `pattern` (no mouse, no clicking)."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        label = page.evaluate(_FOCUSED_LABEL)
        seen.append(label)
        if re.search(pattern, label, ANY):
            return
    raise AssertionError(f"no control labelled {pattern!r} reached with Tab; passed {[s[:40] for s in seen[:20]]}")


def test_a_champion_registers_and_finds_a_learner_with_the_keyboard_alone(browser_page, live_server, viewport):
    page, checker = browser_page
    first, last, (day, month, year) = KEYBOARD_PEOPLE[viewport]
    account = live_server.account("champion")
    page.goto("/login")
    checker.check("keyboard-sign-in")
    _tab_to(page, "^email address")
    page.keyboard.type(account.email)
    _tab_to(page, "^password")
    page.keyboard.type(account.password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    page.goto("/learners/new")
    checker.check("keyboard-register")
    _tab_to(page, "^first name")
    page.keyboard.type(first)
    _tab_to(page, "^last name")
    page.keyboard.type(last)
    for part, value in (("^day$", day), ("^month$", month), ("^year$", year)):
        _tab_to(page, part)
        page.keyboard.type(value)
    _tab_to(page, "shown the privacy notice and agrees")
    page.keyboard.press("Space")
    _tab_to(page, "^(register|save|add)")
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile("learner registered", ANY)).first).to_be_visible()
    reference = re.search(r"L-[A-Z0-9]{5}", page.content()).group(0)
    checker.check("keyboard-learner-registered")

    page.goto("/learners/")
    checker.check("keyboard-find")
    _tab_to(page, "find a learner|search|name|reference")
    page.keyboard.type(reference)
    page.keyboard.press("Enter")
    expect(page.get_by_text(last).first).to_be_visible()
    checker.check("keyboard-learner-found")


def test_a_coordinator_records_a_follow_up_from_the_queue_on_a_phone(browser_page, live_server, viewport):
    page, checker = browser_page
    _signed_in(page, live_server, "coordinator")
    expect(page.get_by_role("link", name=re.compile("due a follow-up", ANY))).to_be_visible()
    page.get_by_role("link", name=re.compile("due a follow-up", ANY)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Follow-ups due")
    checker.check("follow-up-queue")
    first = page.get_by_role("link", name=re.compile("record follow-up", ANY)).first
    name = re.sub(r"(?i)^record follow-up for ", "", " ".join(first.inner_text().split()))
    first.click()
    checker.check("follow-up-form")
    page.get_by_role("button", name=re.compile("save the follow-up", ANY)).click()  # nothing chosen
    expect(page.get_by_role("alert").first).to_contain_text(re.compile("choose whether you reached them", ANY))
    checker.check("follow-up-errors")
    page.get_by_label(re.compile(r"^\s*reached", ANY)).check()
    for group in page.get_by_role("group", name=re.compile(r"^(?!how did).*\?\s*$", ANY)).all():
        group.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name=re.compile("save the follow-up", ANY)).click()
    expect(page.get_by_text(re.compile(f"follow-up saved for {re.escape(name)}", ANY)).first).to_be_visible()
    checker.check("follow-up-saved")
    sign_out(page)
