"""The lending library in a real browser, on a phone and a desktop: stock, overdue list, lend and return, SIMs.

Every page visited is audited by axe-core (tests/e2e/support.py). The demo alliance (`flask demo
seed`) has devices in stock, loans open and overdue, and SIMs given.
"""

import re
import sqlite3

import pytest
from playwright.sync_api import expect

from tests.e2e.support import sign_in, sign_out

pytestmark = pytest.mark.e2e
ANY = re.IGNORECASE


def _one(live_server, sql: str):
    with sqlite3.connect(live_server.database) as connection:
        return connection.execute(sql).fetchone()


def test_a_coordinator_lends_and_takes_back_a_device_and_records_a_sim(browser_page, live_server, viewport):
    page, checker = browser_page
    account = live_server.account("coordinator")
    sign_in(page, account.email, account.password)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    checker.check("devices-home")

    page.goto("/devices/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Devices")
    checker.check("devices-index")
    venue_id, tag = _one(
        live_server,
        "SELECT venue_id, asset_tag FROM devices WHERE status = 'in-stock' ORDER BY asset_tag "
        + ("LIMIT 1" if viewport == "phone" else "LIMIT 1 OFFSET 1"),
    )
    page.goto(f"/devices/venues/{venue_id}")
    checker.check("devices-venue-stock")
    page.goto(f"/devices/venues/{venue_id}/overdue")
    checker.check("devices-overdue")

    reference = _one(
        live_server,
        "SELECT reference FROM learners ORDER BY id " + ("LIMIT 1" if viewport == "phone" else "LIMIT 1 OFFSET 1"),
    )[0]
    page.goto(f"/learners/{reference}")
    expect(page.get_by_role("heading", name="Devices and data")).to_be_visible()
    page.get_by_role("link", name="Lend a device").click()
    checker.check("devices-lend")
    page.get_by_role("button", name="Lend device").click()  # nothing filled in: every problem at once
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the asset tag")
    checker.check("devices-lend-errors")
    page.get_by_label(re.compile("asset tag", ANY)).fill(tag.lower())
    page.get_by_label(re.compile("signed loan agreement", ANY)).check()
    page.get_by_role("button", name="Lend device").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{tag} lent to")
    checker.check("devices-learner-page-with-loan")

    page.get_by_role("link", name=re.compile(f"Extend the loan of {tag}", ANY)).click()
    checker.check("devices-extend")
    page.get_by_role("button", name="Extend loan").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("now due back")
    checker.check("devices-device-page")
    page.get_by_role("link", name="Record return").first.click()
    checker.check("devices-return")
    page.get_by_label(re.compile(r"^\s*Good:", ANY)).check()
    page.get_by_role("button", name="Record return").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("back in stock")

    page.goto(f"/devices/data/{reference}")
    checker.check("devices-data-gift")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the network")
    checker.check("devices-data-gift-errors")
    page.goto(f"/devices/gift/{reference}")
    checker.check("devices-gift")
    page.goto("/devices/new")
    checker.check("devices-add")
    page.goto("/devices/import")
    checker.check("devices-import")
    sign_out(page)


def test_a_funder_reaches_no_device_page_but_sees_the_figures(browser_page, live_server):
    page, checker = browser_page
    account = live_server.account("funder")
    sign_in(page, account.email, account.password)
    assert page.goto("/devices/").status == 403
    page.goto("/reports/")
    expect(page.get_by_text("Devices and data,")).to_be_visible()
    checker.check("devices-funder-dashboard")
    sign_out(page)
