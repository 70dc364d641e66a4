"""Logging sessions with the connection gone: the queue on the device, sending when it returns, signing out.

The browser context is set offline and back online (Playwright's `context.set_offline`); the
service worker is real (Workbox, /offline/sw.js) and so is the server: what is counted is what
the server's database holds afterwards. docs/offline.md describes what is tested here.
"""

import re
import sqlite3
import time
import uuid

import pytest
from playwright.sync_api import expect

from tests.e2e.settings import BROWSER_WAIT_MS, VIEWPORTS
from tests.e2e.support import PageChecker, sign_in

pytestmark = pytest.mark.e2e
ANY = re.IGNORECASE
READY = """async () => {
  if (!navigator.serviceWorker.controller) return false;
  const cache = (await caches.keys()).find((name) => name.startsWith("inclusion-user-"));
  if (!cache) return false;
  const kept = await caches.open(cache);
  return Boolean((await kept.match("/sessions/new")) && (await kept.match("/offline/data.json")));
}"""
QUEUE = """() => new Promise((resolve) => {
  const request = indexedDB.open("inclusion-offline");
  request.onsuccess = () => {
    const db = request.result;
    if (!db.objectStoreNames.contains("queue")) { db.close(); return resolve(-1); }
    const all = db.transaction("queue").objectStore("queue").getAll();
    all.onsuccess = () => { db.close(); resolve(all.result.length); };
  };
  request.onerror = () => resolve(-1);
})"""


@pytest.fixture
def champion_page(browser, live_server, request):
    context = browser.new_context(viewport=VIEWPORTS["phone"], base_url=live_server.url, service_workers="allow")
    context.set_default_timeout(BROWSER_WAIT_MS)
    page = context.new_page()
    checker = PageChecker(page, request.node.originalname, "phone")
    account = live_server.account("champion")
    sign_in(page, account.email, account.password)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    page.goto("/sessions/new")  # the worker installs on the first page, and controls the pages after it
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.goto("/sessions/new")
    _wait_until_kept(page)
    yield context, page, checker
    context.close()


def _wait_until_kept(page) -> None:
    """Wait until the worker controls the page and keeps the form and the offline data.

    READY is asynchronous (the caches are), and `page.wait_for_function` does not wait for a
    predicate's promise: any promise is truthy, so it returned at once
    (https://github.com/microsoft/playwright/issues/29132). The tests then went offline before the
    worker had kept the learners whenever the first page's request for them beat the worker's
    activation: "No learners are kept on this device yet", one run in a few of the whole suite.
    """
    deadline = time.monotonic() + BROWSER_WAIT_MS / 1000
    while not page.evaluate(READY):
        if time.monotonic() > deadline:
            raise AssertionError(f"the worker did not keep the form and the offline data: {_picker_state(page)}")
        page.wait_for_timeout(100)


def _stored(live_server, marker: str) -> list[tuple]:
    with sqlite3.connect(live_server.database) as connection:
        return connection.execute(
            "SELECT id, idempotency_key, (SELECT count(*) FROM attendances a WHERE a.session_id = s.id)"
            " FROM learning_sessions s WHERE notes = ?",
            (marker,),
        ).fetchall()


# What the device and the offline picker hold, for a failure message: every cache and the paths it
# keeps, the page's scope and whether the worker controls it, the learners kept, the filter's text,
# what the list shows, and whether the page thinks it is online.
PICKER_STATE = """async () => {
  const names = await caches.keys();
  const cache = names.find((name) => name.startsWith("inclusion-user-"));
  const kept = cache ? await (await caches.open(cache)).match("/offline/data.json") : null;
  const learners = kept ? ((await kept.json()).learners || []).length : null;
  const picker = document.querySelector("[data-offline-session-form]");
  const entries = {};
  for (const name of names) {
    const requests = await (await caches.open(name)).keys();
    entries[name] = requests.map((request) => new URL(request.url).pathname).slice(0, 8);
  }
  return {
    caches: entries,
    page_scope: document.querySelector('meta[name="inclusion-offline"]')?.content,
    controlled: Boolean(navigator.serviceWorker.controller),
    online: navigator.onLine,
    kept_learners: learners,
    filter: document.querySelector("#offline-filter")?.value,
    in_form: document.querySelectorAll('input[name="attendee"]').length,
    shows: (picker?.querySelector("[data-offline-choices]")?.innerText || "").slice(0, 300),
    picker_hidden: picker ? picker.hidden : null,
  };
}"""


def _picker_state(page) -> dict | str:
    try:
        return page.evaluate(PICKER_STATE)
    except Exception as error:  # noqa: BLE001  (a failure message must not fail in its turn)
        return f"(could not be read: {error})"


def _log_offline(page, marker: str, attendee_index: int = 0) -> None:
    """Fill in the form from what the device keeps, and save it."""
    picker = page.locator("[data-offline-session-form]")
    expect(picker).to_be_visible()
    page.get_by_label(re.compile("duration", ANY)).fill("45")
    add = picker.get_by_role("button", name=re.compile("^add ", ANY))
    try:
        expect(add.nth(attendee_index)).to_be_visible()
    except AssertionError as error:
        raise AssertionError(f"no learner to add offline; the device's picker shows: {_picker_state(page)}") from error
    add.nth(attendee_index).click()
    page.get_by_label(re.compile("notes", ANY)).fill(marker)
    page.get_by_role("button", name=re.compile("save session", ANY)).click()


def test_two_sessions_saved_offline_are_sent_once_each_when_the_connection_returns(champion_page, live_server):
    context, page, checker = champion_page
    first, second = f"offline-{uuid.uuid4()}", f"offline-{uuid.uuid4()}"
    context.set_offline(True)
    _log_offline(page, first, 0)
    banner = page.locator("[data-offline-queue]")
    expect(banner).to_contain_text("1 session waiting to send")
    # A new form with the connection still gone: the device's copy, with a key of its own.
    page.goto("/sessions/new")
    expect(page).to_have_url(re.compile(r"offline=1"))
    _log_offline(page, second, 1)
    expect(banner).to_contain_text("2 sessions waiting to send")
    checker.check("two-sessions-waiting")
    assert _stored(live_server, first) == [] and _stored(live_server, second) == []

    context.set_offline(False)
    expect(banner).to_contain_text("2 sessions sent", timeout=20_000)
    one, two = _stored(live_server, first), _stored(live_server, second)
    assert len(one) == 1 and len(two) == 1, (one, two)
    assert one[0][1] != two[0][1] and one[0][2] == 1 and two[0][2] == 1
    checker.check("two-sessions-sent")


def test_a_send_whose_answer_is_lost_is_stored_once(champion_page, live_server):
    context, page, checker = champion_page
    marker = f"interrupted-{uuid.uuid4()}"
    context.set_offline(True)
    _log_offline(page, marker)
    expect(page.locator("[data-offline-queue]")).to_contain_text("1 session waiting to send")
    delivered = []

    def lose_the_answer(route):
        route.fetch()  # the server receives the session and commits it...
        delivered.append(route.request.url)
        route.abort("connectionreset")  # ...and the answer never reaches the page

    page.route("**/offline/sessions", lose_the_answer)
    context.set_offline(False)
    for _ in range(100):  # the page sends as soon as it is online again
        if delivered:
            break
        page.wait_for_timeout(200)
    assert delivered, "the page did not send the queued session when the connection returned"
    assert len(_stored(live_server, marker)) == 1
    expect(page.locator("[data-offline-queue]")).to_contain_text("1 session waiting to send")
    page.unroute("**/offline/sessions")
    page.get_by_role("button", name="Send now").click()
    expect(page.locator("[data-offline-queue]")).to_contain_text("1 session sent", timeout=20_000)
    expect(page.locator("[data-offline-queue]")).to_contain_text("already been received")
    assert len(_stored(live_server, marker)) == 1
    checker.assert_no_console_errors()


def test_signing_out_deletes_the_queue_and_the_kept_pages(champion_page, live_server):
    context, page, checker = champion_page
    marker = f"signed-out-{uuid.uuid4()}"
    context.set_offline(True)
    _log_offline(page, marker)
    expect(page.locator("[data-offline-queue]")).to_contain_text("1 session waiting to send")
    page.route("**/offline/sessions", lambda route: route.abort("internetdisconnected"))  # still unreachable
    context.set_offline(False)
    page.goto("/")
    assert page.evaluate(QUEUE) == 1
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("[data-offline-queue]")).to_contain_text("Signing out deletes the 1 session")
    checker.check("sign-out-warning")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    assert page.evaluate(QUEUE) == -1
    assert page.evaluate("async () => (await caches.keys()).length") == 0
    assert page.evaluate("async () => (await navigator.serviceWorker.getRegistrations()).length") == 0
    assert _stored(live_server, marker) == []


def test_a_queued_session_whose_venue_closed_meanwhile_is_kept_with_a_clear_message_and_can_be_corrected(
    champion_page, live_server
):
    context, page, checker = champion_page
    marker = f"venue-closed-{uuid.uuid4()}"
    context.set_offline(True)
    _log_offline(page, marker)
    venue_id = page.locator('[name="venue_id"]').input_value()
    banner = page.locator("[data-offline-queue]")
    expect(banner).to_contain_text("1 session waiting to send")
    with sqlite3.connect(live_server.database) as connection:  # a coordinator closes the venue meanwhile
        connection.execute("UPDATE venues SET closed_at = datetime('now', '-2 days') WHERE id = ?", (venue_id,))
    try:
        context.set_offline(False)
        expect(banner).to_contain_text("1 session could not be sent", timeout=20_000)
        expect(banner).to_contain_text("has closed: choose an open venue")
        checker.check("queued-session-not-sent")
        assert _stored(live_server, marker) == []
        with sqlite3.connect(live_server.database) as connection:  # ...and reopens it: the champion sends it again
            connection.execute("UPDATE venues SET closed_at = NULL WHERE id = ?", (venue_id,))
        banner.get_by_role("link", name="Correct it in the form").click()
        expect(page.get_by_label(re.compile("notes", ANY))).to_have_value(marker)
        expect(page.locator("[data-offline-attendee]")).to_have_count(1)
        page.get_by_role("button", name=re.compile("save session", ANY)).click()
        expect(page.get_by_text(re.compile("session saved", ANY)).first).to_be_visible(timeout=20_000)
        assert len(_stored(live_server, marker)) == 1
        assert page.evaluate(QUEUE) == 0
    finally:
        with sqlite3.connect(live_server.database) as connection:
            connection.execute("UPDATE venues SET closed_at = NULL WHERE id = ?", (venue_id,))
