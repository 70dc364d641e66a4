"""Signing out while the page's offline script is still busy with this device's store leaves no
uncaught error. Sign-out deletes the store (the script first, then the server's Clear-Site-Data),
which aborts whatever the script has open; idb rejects each aborted transaction's `done` promise,
and a rejection nobody waits on is an uncaught error (assets/offline/store.js says how it is
handled). The moment that matters depends on timing, so the browser is slowed down and the page
closed at several moments after the click: before the fix this found an uncaught error in about
one try in fourteen, with the store's reads (`db.get`) and their unwatched `done` promises."""

import pytest

from tests.e2e.support import sign_in

pytestmark = pytest.mark.e2e

SLOWER = 4  # Chromium's CPU throttling: a library tablet, or CI's loaded machine
MOMENTS_MS = (0, 100, 200, 400, 700, 1000)


def test_signing_out_at_any_moment_leaves_no_uncaught_error(browser, live_server):
    account = next(a for a in live_server.accounts if a.role == "champion")
    uncaught = []
    for moment in MOMENTS_MS:
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        page.on("pageerror", lambda error, moment=moment: uncaught.append(f"{moment} ms: {error}"))
        sign_in(page, account.email, account.password)
        page.wait_for_load_state("load")
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": SLOWER})
        page.goto("/account/two-step")  # a page where the offline script starts afresh, slowed
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_timeout(moment)
        context.close()
    assert not uncaught, f"uncaught errors in the page after signing out: {uncaught}"
