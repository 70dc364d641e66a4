"""In a real browser: a champion turns on two-step verification by scanning the QR code (reading
the key instead), signs in with a code, and turns it off again; every page passes axe-core."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests.e2e.support import sign_in, sign_out

pytestmark = pytest.mark.e2e


def test_a_champion_turns_on_two_step_signs_in_with_a_code_and_turns_it_off(browser_page, live_server):
    page, checker = browser_page
    # The second demo champion: the other browser tests sign in as the first, without a code.
    account = [a for a in live_server.accounts if a.role == "champion"][1]
    sign_in(page, account.email, account.password)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    page.goto("/account/two-step")
    checker.check("two-step-off")
    page.get_by_role("link", name="Set up two-step verification").click()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    page.get_by_text("I cannot scan the QR code").click()
    totp = pyotp.TOTP(page.locator(".app-secret").inner_text().strip())
    checker.check("two-step-set-up")
    page.get_by_label("Code from the app").fill(totp.now())
    page.get_by_role("button", name="Turn on two-step verification").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator(".app-recovery-codes li")).to_have_count(10)
    checker.check("recovery-codes")
    page.get_by_role("link", name="I have saved my recovery codes").click()
    expect(page.get_by_role("heading", name="Two-step verification")).to_be_visible()
    sign_out(page)

    sign_in(page, account.email, account.password)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    checker.check("enter-code")
    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    checker.check("enter-code-error")
    # The app's next code: the current one was used up setting two-step up (clocks may drift a step).
    page.get_by_label("Code", exact=True).fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")

    page.goto("/account/two-step")
    page.get_by_role("link", name="Turn off two-step verification").click()
    checker.check("turn-off")
    page.get_by_label("Code from the app").fill(totp.now())
    page.get_by_role("button", name="Turn off two-step verification").click()
    expect(page.get_by_text("Two-step verification is off.", exact=True)).to_be_visible()
    sign_out(page)
