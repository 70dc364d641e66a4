"""A champion on a phone logs a session of eight: the journey of issue 14, counted in taps and page loads.

Shared by the browser test (tests/e2e/test_session_form.py) and `make bench` (bench/browser.py),
so both measure the same real journey: open the form, add seven people (one tap each from
"Seen at this venue recently", or a search by reference when the venue has too few), register
an eighth from inside the form, tick a skill for three of them, save.
"""

import re
import time
from dataclasses import dataclass, field

from playwright.sync_api import Page, expect

ANY = re.IGNORECASE
PHONE = {"width": 390, "height": 844}
# The page stays where the champion is: after an add, the focused control is on the screen.
_FOCUS_ON_SCREEN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "nothing focused";
  const box = el.getBoundingClientRect();
  return box.bottom > 0 && box.top < window.innerHeight ? "" : `${el.outerHTML.slice(0, 80)} at ${box.top}`;
}"""


@dataclass
class Journey:
    taps: int = 0
    page_loads: int = 0
    seconds: float = 0.0
    session_url: str = ""
    steps: list[str] = field(default_factory=list)

    def tap(self, locator, what: str) -> None:
        """One tap of a finger (a click in the browser), counted."""
        self.taps += 1
        self.steps.append(what)
        locator.click()

    def type_into(self, locator, text: str, what: str) -> None:
        """Tap a text field, then type (the typing is keystrokes, not taps)."""
        self.tap(locator, f"field: {what}")
        locator.fill(text)


def count_page_loads(page: Page, journey: Journey) -> None:
    page.on("load", lambda _page: setattr(journey, "page_loads", journey.page_loads + 1))


def log_a_session_of_eight(
    page: Page, new_learner: tuple[str, str], references: list[str], *, skills_for: int = 3, before_save=None
) -> Journey:
    """Drive the session form from opening to saved; the page must already be signed in as a champion.

    `before_save(page)` runs before the Save tap, for an audit of the filled form.
    `references` are learners the champion may see, searched for when the venue's recent list
    has fewer than seven people; `new_learner` is the (first, last) name registered in the form.
    """
    journey = Journey()
    page.wait_for_load_state("load")  # the sign-in's own page load is not the journey's
    count_page_loads(page, journey)
    started = time.perf_counter()
    page.goto("/sessions/new")
    form = page.locator("form.app-session-form")
    expect(form).to_be_visible()
    if page.get_by_label("Venue", exact=True).input_value() in ("", "0"):
        journey.tap(page.get_by_label("Venue", exact=True), "venue")
        page.get_by_label("Venue", exact=True).select_option(index=1)
    duration = page.get_by_label(re.compile("duration", ANY))
    if not duration.input_value():
        journey.type_into(duration, "60", "duration")

    attendees = page.locator("#attendee-list > li")
    for _ in range(7):
        before = attendees.count()
        chip = page.locator("#recent-learners button[name=add]").first
        if chip.count():
            journey.tap(chip, "add from recent")
        else:
            reference = next(ref for ref in references if not page.locator(f"#attendee-list :text('{ref}')").count())
            journey.type_into(page.get_by_label("Find a learner"), reference, "find")
            add = page.locator("#find-results button[name=add]").first
            expect(add).to_be_visible()
            journey.tap(add, "add from search")
        expect(attendees).to_have_count(before + 1)
        away = page.evaluate(_FOCUS_ON_SCREEN)
        assert not away, f"after adding attendee {before + 1} the focus left the screen: {away}"

    first, last = new_learner
    journey.type_into(page.get_by_label("Find a learner"), f"{first} {last}", "find the new learner")
    expect(page.locator("#find-results")).to_contain_text(re.compile("no learners found", ANY))
    journey.tap(page.get_by_role("button", name="Register a new learner"), "register")
    dialog = page.get_by_role("dialog", name="Register a learner")
    expect(dialog.get_by_label(re.compile(r"^\s*first name", ANY))).to_have_value(first)
    journey.tap(dialog.get_by_label(re.compile("shown the privacy notice and agrees", ANY)), "consent")
    journey.tap(dialog.get_by_role("button", name="Register learner"), "register learner")
    expect(dialog).to_be_hidden()
    expect(attendees).to_have_count(8)
    expect(page.locator("#attendee-list")).to_contain_text(f"{first} {last}")

    for row in range(skills_for):
        item = attendees.nth(row)
        journey.tap(item.locator("summary"), "open skills")
        journey.tap(item.get_by_label(re.compile("turn on a device and sign in", ANY)), "tick a skill")
        expect(item.locator("[data-ticked-count]")).to_have_text("(1 ticked)")

    if before_save is not None:
        paused = time.perf_counter()
        before_save(page)  # the test's audit of the filled form: not part of the journey's time
        started += time.perf_counter() - paused
    journey.tap(page.get_by_role("button", name="Save session"), "save")
    expect(page.get_by_text(re.compile("session saved", ANY)).first).to_be_visible()
    page.wait_for_load_state("load")
    journey.seconds = time.perf_counter() - started
    journey.session_url = page.url
    return journey
