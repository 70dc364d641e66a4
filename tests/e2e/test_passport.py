"""The skills passport printed to PDF by Chromium: one or two A4 pages, the skills, no personal details."""

import io
import re
import sqlite3
import unicodedata
from datetime import date, datetime

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.settings import SCREENSHOTS, VIEWPORTS
from tests.e2e.support import PageChecker, sign_in

pytestmark = pytest.mark.e2e
ANY = re.IGNORECASE
A4_POINTS = (595.3, 841.9)  # 210 mm × 297 mm


def _learner_with_details(database) -> tuple[str, str, str, date]:
    """A demo learner with a date of birth and a postcode: the details the passport must leave out."""
    with sqlite3.connect(database) as connection:
        reference, name, postcode, born = connection.execute(
            "SELECT l.reference, l.first_name || ' ' || l.last_name, l.postcode, l.date_of_birth FROM learners l "
            "WHERE l.date_of_birth IS NOT NULL AND l.postcode IS NOT NULL AND l.merged_into_id IS NULL "
            "AND l.anonymised_at IS NULL ORDER BY (SELECT count(*) FROM skill_achievements a "
            "WHERE a.learner_id = l.id) DESC, l.id LIMIT 1"
        ).fetchone()
    return reference, name, postcode, date.fromisoformat(born)


def _give_every_skill(database, reference: str) -> None:
    """The longest passport there can be: a session at which the learner showed every skill."""
    now = datetime.now().isoformat(sep=" ")
    with sqlite3.connect(database) as connection:
        learner_id, venue_id = connection.execute(
            "SELECT l.id, v.id FROM learners l JOIN venues v ON v.partner_id = l.registered_partner_id "
            "WHERE l.reference = ? ORDER BY v.id LIMIT 1",
            (reference,),
        ).fetchone()
        cursor = connection.execute(
            "INSERT INTO learning_sessions (session_date, start_time, venue_id, session_type, duration_minutes, "
            "unregistered_attendees, created_at, updated_at) VALUES (?, '10:00:00.000000', ?, 'course', 120, 0, ?, ?)",
            (date.today().isoformat(), venue_id, now, now),
        )
        session_id = cursor.lastrowid
        connection.execute(
            "INSERT OR IGNORE INTO attendances (session_id, learner_id) VALUES (?, ?)", (session_id, learner_id)
        )
        connection.execute(
            "INSERT INTO skill_achievements (learner_id, skill_id, session_id) "
            "SELECT ?, id, ? FROM skills WHERE retired_at IS NULL",
            (learner_id, session_id),
        )


def _pdf_of_passport(page, checker, reference: str) -> PdfReader:
    page.goto(f"/learners/{reference}")
    page.get_by_role("link", name=re.compile("print a skills passport", ANY)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Digital skills passport")
    checker.check(f"passport-{reference}")
    assert checker.violations() == []  # not one violation, of any impact
    expect(page.get_by_role("button", name="Print this passport")).to_be_visible()  # JavaScript shows it
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (SCREENSHOTS / f"{checker.prefix}-passport-{reference}.pdf").write_bytes(pdf)  # beside the screenshots
    return PdfReader(io.BytesIO(pdf))


def _assert_a4_without_details(reader: PdfReader, postcode: str, born: date) -> str:
    assert 1 <= len(reader.pages) <= 2, f"{len(reader.pages)} pages"
    for sheet in reader.pages:
        assert (round(float(sheet.mediabox.width), 1), round(float(sheet.mediabox.height), 1)) == pytest.approx(
            A4_POINTS, abs=1
        )
    # NFKC: the PDF's text has the font's ligatures ("ﬁ" for "fi"); lines wrap anywhere, after a hyphen too.
    text = " ".join(" ".join(unicodedata.normalize("NFKC", sheet.extract_text()).split()) for sheet in reader.pages)
    text = re.sub(r"- (?=\w)", "-", text)
    for personal in (
        postcode,
        postcode.replace(" ", ""),
        born.strftime("%-d %B %Y"),
        born.isoformat(),
        born.strftime("%d/%m/%Y"),
        "Date of birth",
        "Postcode",
    ):
        assert personal not in text, personal
    for furniture in ("Menu", "Sign out", "Back to", "Print this passport", "Skip to main content"):
        assert furniture not in text, f"{furniture!r}: the print styles should hide it"
    return text


def test_the_skills_passport_prints_on_a4_with_the_skills_and_no_personal_details(browser_page, live_server, viewport):
    page, checker = browser_page
    account = live_server.account("coordinator")
    sign_in(page, account.email, account.password)
    reference, name, postcode, born = _learner_with_details(live_server.database)

    text = _assert_a4_without_details(_pdf_of_passport(page, checker, reference), postcode, born)
    assert "Digital skills passport" in text and name in text and reference in text
    assert "What to try next" in text and "Where to keep learning" in text
    with sqlite3.connect(live_server.database) as connection:
        titles = [
            row[0]
            for row in connection.execute(
                "SELECT DISTINCT k.title FROM skill_achievements a JOIN skills k ON k.id = a.skill_id "
                "JOIN learners l ON l.id = a.learner_id WHERE l.reference = ?",
                (reference,),
            )
        ]
        opened = connection.execute(
            "SELECT count(*) FROM audit_events WHERE action = 'skills_passport_opened' AND record_id = "
            "(SELECT CAST(id AS TEXT) FROM learners WHERE reference = ?)",
            (reference,),
        ).fetchone()[0]
    assert titles, "the demo learner chosen has skills"
    for title in titles:
        assert title[:1].upper() + title[1:] in text, title
    assert opened >= 1


def test_a_passport_with_every_skill_still_fits_on_two_a4_pages(browser, live_server):
    """Printing does not depend on the window's width: one desktop-sized run."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"], base_url=live_server.url)
    page = context.new_page()
    checker = PageChecker(page, "passport-every-skill", "desktop")
    account = live_server.account("coordinator")
    sign_in(page, account.email, account.password)
    reference, _name, postcode, born = _learner_with_details(live_server.database)
    _give_every_skill(live_server.database, reference)

    text = _assert_a4_without_details(_pdf_of_passport(page, checker, reference), postcode, born)
    assert "You have learned every skill on our list" in text
    context.close()
    checker.assert_no_console_errors()
