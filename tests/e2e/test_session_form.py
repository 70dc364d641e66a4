"""The session form on a phone (issue 14): eight attendees in at most two page loads, no fault axe can find."""

import re
import sqlite3

import pytest
from playwright.sync_api import expect

from tests.e2e.session_journey import PHONE, log_a_session_of_eight
from tests.e2e.settings import BROWSER_WAIT_MS, VIEWPORTS
from tests.e2e.support import PageChecker, sign_in

pytestmark = pytest.mark.e2e
ANY = re.IGNORECASE


def _champion_page(browser, live_server, name: str, viewport=PHONE, **options):
    context = browser.new_context(viewport=viewport, base_url=live_server.url, **options)
    context.set_default_timeout(BROWSER_WAIT_MS)
    page = context.new_page()
    checker = PageChecker(page, name, "phone" if viewport == PHONE else "desktop")
    account = live_server.account("champion")
    sign_in(page, account.email, account.password)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    return context, page, checker


def _visible_references(live_server) -> list[str]:
    """References of learners the demo champion may see (registered with their partner), to search for."""
    with sqlite3.connect(live_server.database) as connection:
        return [
            row[0]
            for row in connection.execute(
                "SELECT l.reference FROM learners l JOIN partners p ON p.id = l.registered_partner_id"
                " WHERE p.name = ? AND l.merged_into_id IS NULL AND l.anonymised_at IS NULL ORDER BY l.id LIMIT 20",
                (live_server.account("champion").partner,),
            )
        ]


def _a_visible_learners_name(live_server) -> tuple[str, str]:
    reference = _visible_references(live_server)[0]
    with sqlite3.connect(live_server.database) as connection:
        return connection.execute(
            "SELECT first_name, last_name FROM learners WHERE reference = ?", (reference,)
        ).fetchone()


def _session_count(live_server) -> int:
    with sqlite3.connect(live_server.database) as connection:
        return connection.execute("SELECT count(*) FROM learning_sessions").fetchone()[0]


def test_a_champion_logs_eight_on_a_phone_in_two_page_loads_and_under_25_taps(browser, live_server):
    context, page, checker = _champion_page(browser, live_server, "session-of-eight")
    journey = log_a_session_of_eight(
        page,
        ("Hilda", "Phonebook"),
        _visible_references(live_server),
        before_save=lambda page: _no_violations(checker, "eight-attendees"),
    )
    print(f"session of eight: {journey.taps} taps, {journey.page_loads} page loads, {journey.seconds:.1f} s")
    assert journey.page_loads <= 2, f"{journey.page_loads} full page loads: {journey.steps}"
    assert journey.taps < 25, f"{journey.taps} taps: {journey.steps}"
    checker.check("session-of-eight-saved")
    session_id = int(journey.session_url.rstrip("/").rsplit("/", 1)[-1])
    with sqlite3.connect(live_server.database) as connection:
        attendees = connection.execute(
            "SELECT count(*) FROM attendances WHERE session_id = ?", (session_id,)
        ).fetchone()
        with_skills = connection.execute(
            "SELECT count(DISTINCT learner_id) FROM skill_achievements WHERE session_id = ?", (session_id,)
        ).fetchone()
        new_learner = connection.execute(
            "SELECT count(*) FROM attendances a JOIN learners l ON l.id = a.learner_id"
            " WHERE a.session_id = ? AND l.first_name = 'Hilda' AND l.last_name = 'Phonebook'",
            (session_id,),
        ).fetchone()
    assert (attendees[0], with_skills[0], new_learner[0]) == (8, 3, 1)

    # Post/redirect/get: refreshing the saved session, and going Back to the form, send nothing again.
    stored = _session_count(live_server)
    page.reload()
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a session")
    assert _session_count(live_server) == stored
    context.close()
    checker.assert_no_console_errors()


def test_the_session_form_still_works_without_javascript(browser, live_server):
    context, page, checker = _champion_page(browser, live_server, "session-no-js", java_script_enabled=False)
    page.goto("/sessions/new")
    reference = _visible_references(live_server)[0]
    page.get_by_label("Find a learner").fill(reference)
    page.get_by_role("button", name="Find", exact=True).click()
    page.locator("#find-results button[name=add]").first.click()
    expect(page.locator("#attendee-list > li")).to_have_count(1)
    expect(page.locator("#attendee-list")).to_contain_text(reference)
    page.get_by_label(re.compile("duration", ANY)).fill("45")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text(re.compile("session saved", ANY)).first).to_be_visible()
    context.close()


def _no_violations(checker: PageChecker, state: str) -> None:
    """axe-core finds nothing at all, of any impact (stricter than the other pages' serious/critical)."""
    checker.page.screenshot(path=str(checker_path(checker, state)), full_page=True)
    violations = checker.violations()
    assert not violations, f"axe-core on the session form ({state}):\n" + "\n".join(
        f"  {v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(f"      {node}" for node in v["nodes"])
        for v in violations
    )


def checker_path(checker: PageChecker, state: str):
    from tests.e2e.settings import SCREENSHOTS

    return SCREENSHOTS / f"{checker.prefix}-{state}.png"


_FOCUS_HIDDEN = """() => {
  const el = document.activeElement;
  const bar = document.querySelector("[data-save-bar]");
  if (!el || !bar || bar.contains(el)) return null;
  const box = el.getBoundingClientRect(), cover = bar.getBoundingClientRect();
  return box.top >= cover.top - 1 ? (el.id || el.name || el.tagName) : null;
}"""


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_session_form_has_no_accessibility_faults_in_any_state(browser, live_server, viewport):
    context, page, checker = _champion_page(browser, live_server, "session-axe", VIEWPORTS[viewport])
    page.goto("/sessions/new")
    page.wait_for_load_state("load")
    _no_violations(checker, "empty")

    chip = page.locator("#recent-learners button[name=add]").first
    if chip.count():
        chip.click()
    else:
        page.get_by_label("Find a learner").fill(_visible_references(live_server)[0])
        page.locator("#find-results button[name=add]").first.click()
    row = page.locator("#attendee-list > li").first
    expect(row).to_be_visible()
    expect(page.locator("#session-form-status")).to_contain_text("Added")  # announced (role=status)
    row.locator("summary").click()
    _no_violations(checker, "attendee-with-skills-open")

    page.get_by_label("Find a learner").fill("Zebedee Nobodyatall")
    expect(page.locator("#find-results")).to_contain_text(re.compile("no learners found", ANY))
    _no_violations(checker, "nothing-found")

    page.get_by_role("button", name="Register a new learner").click()
    dialog = page.get_by_role("dialog", name="Register a learner")
    expect(dialog).to_be_visible()
    _no_violations(checker, "register-dialog")
    dialog.get_by_label(re.compile(r"^\s*first name", ANY)).fill("")
    dialog.get_by_role("button", name="Register learner").click()
    expect(dialog.get_by_text("There is a problem")).to_be_visible()
    expect(dialog.locator(".govuk-error-summary")).to_be_focused()
    _no_violations(checker, "register-dialog-errors")
    first, last = _a_visible_learners_name(live_server)  # the same name again: a possible duplicate
    dialog.get_by_label(re.compile(r"^\s*first name", ANY)).fill(first)
    dialog.get_by_label(re.compile(r"^\s*last name", ANY)).fill(last)
    dialog.get_by_label(re.compile("shown the privacy notice and agrees", ANY)).check()
    dialog.get_by_role("button", name="Register learner").click()
    expect(dialog.get_by_text("This could be someone already registered")).to_be_visible()
    _no_violations(checker, "register-dialog-possible-duplicate")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()

    # Focus is never hidden behind the sticky Save bar (WCAG 2.2, 2.4.11).
    page.locator("h1").focus()
    hidden = []
    for _ in range(40):
        page.keyboard.press("Tab")
        if (name := page.evaluate(_FOCUS_HIDDEN)) is not None:
            hidden.append(name)
    assert not hidden, f"focused controls hidden behind the Save bar: {hidden}"

    # The server's error state: remove the attendee, clear the duration, save.
    row.get_by_role("button", name=re.compile("^remove", ANY)).click()
    expect(page.locator("#attendee-list > li")).to_have_count(0)
    page.get_by_label(re.compile("duration", ANY)).fill("")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    page.wait_for_load_state("load")
    _no_violations(checker, "errors")
    context.close()
    checker.assert_no_console_errors()


def test_a_venues_usual_duration_never_lands_in_the_duration_the_champion_is_typing(browser, live_server):
    """The chosen venue's defaults arrive by fetch; one that lands while the champion is in the duration
    field must leave it alone (it once turned a typed 60 into 9060)."""
    context, page, _checker = _champion_page(browser, live_server, "venue-defaults-while-typing")
    held = []
    page.route("**/sessions/venue-context*", lambda route: held.append(route))  # answered below, late
    page.goto("/sessions/new")
    duration = page.get_by_label(re.compile("duration", ANY))
    duration.evaluate("field => { field.value = ''; }")  # empty, and not changed by the champion (no input event)
    page.get_by_label(re.compile("venue", ANY)).select_option(label="Central Library")
    duration.focus()
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "choosing a venue asked for nothing"
    with page.expect_response(re.compile(r"/sessions/venue-context")) as answered:
        held[0].continue_()
    assert answered.value.json().get("duration_minutes"), "the demo champion has no usual duration at Central Library"
    page.wait_for_timeout(200)  # the page has applied what came back
    page.keyboard.type("60")
    expect(duration).to_have_value("60")
    context.close()
