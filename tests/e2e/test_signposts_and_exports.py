"""Signposting and list exports in a real browser, every page audited with axe-core (WCAG 2.2 AA)."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.support import sign_in, sign_out

pytestmark = pytest.mark.e2e
ANY = re.IGNORECASE
SERVICES = {"phone": "Phone Test Advice Line", "desktop": "Desktop Test Advice Line"}


def test_a_coordinator_keeps_the_directory_signposts_a_learner_and_exports_the_lists(
    browser_page, live_server, viewport
):
    page, checker = browser_page
    account = live_server.account("coordinator")
    sign_in(page, account.email, account.password)
    service = SERVICES[viewport]

    page.goto("/signposts/services")
    checker.check("signpost-directory")
    page.get_by_role("button", name=re.compile("add service", ANY)).click()  # nothing typed: errors shown
    expect(page.get_by_role("alert")).to_contain_text("Enter the service")
    checker.check("signpost-directory-error")
    page.get_by_label(re.compile("name of the service", ANY)).fill(service)
    page.get_by_label(re.compile("web address", ANY)).fill("www.example.org/help")
    page.get_by_role("button", name=re.compile("add service", ANY)).click()
    expect(page.get_by_role("row", name=re.compile(service, ANY))).to_be_visible()
    page.get_by_role("link", name=re.compile(f"change {service}", ANY)).click()
    checker.check("signpost-service-edit")

    page.goto("/learners/")
    page.get_by_role("table").last.get_by_role("link").first.click()  # the sessions (after the regular slots)
    checker.check("learner-with-signposts-panel")
    page.get_by_role("link", name=re.compile("signpost this learner", ANY)).click()
    checker.check("signpost-new")
    page.get_by_role("button", name=re.compile("save the signpost", ANY)).click()
    expect(page.get_by_role("alert")).to_contain_text("Choose where you pointed them")
    checker.check("signpost-new-error")
    page.get_by_label(re.compile("where did you point them", ANY)).select_option(label=f"Outside service: {service}")
    page.get_by_label(re.compile("venue where you pointed them on", ANY)).select_option(label="Central Library")
    page.get_by_role("button", name=re.compile("save the signpost", ANY)).click()
    expect(page.get_by_text(re.compile("signpost saved", ANY)).first).to_be_visible()
    expect(page.get_by_role("cell", name=service).first).to_be_visible()
    checker.check("learner-signposted")

    page.goto("/sessions/")
    checker.check("sessions-with-exports")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^CSV \(their attendances\)", ANY)).click()
    rows = list(csv.reader(io.StringIO(Path(download_info.value.path()).read_text(encoding="utf-8"))))
    assert rows[0][:2] == ["session_id", "session_date"] and len(rows) > 1
    page.get_by_role("table").last.get_by_role("link").first.click()  # the sessions (after the regular slots)
    expect(page.get_by_role("link", name=re.compile("^signpost ", ANY)).first).to_be_visible()
    checker.check("session-with-signpost-links")
    sign_out(page)
