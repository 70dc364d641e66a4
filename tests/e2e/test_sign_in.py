"""In a real browser: every role signs in, finds its own navigation and signs out, with the mouse or
the keyboard alone, at a phone width and a desktop width; every page passes axe-core."""

import re

import pytest
from playwright.sync_api import expect

from inclusion.templating import NAVIGATION
from tests.e2e.support import open_menu_if_collapsed, sign_in, sign_out
from tests.security.support import PUBLIC, SIGNED_IN, declared_access, discovered_routes, route_app

pytestmark = pytest.mark.e2e
ROLES = ("champion", "coordinator", "funder", "admin")


def _navigation_for(role: str) -> tuple[list[str], list[str]]:
    """The menu labels a role must see, and those of existing pages it must not."""
    existing = [(label, roles) for endpoint, label, roles in NAVIGATION if endpoint in route_app().view_functions]
    return [label for label, roles in existing if role in roles], [
        label for label, roles in existing if role not in roles
    ]


# What each role's first page after signing in is headed: a funder's is the dashboard (issue 14).
LANDS_ON = {"admin": "Welcome", "coordinator": "Welcome", "champion": "Welcome", "funder": "Dashboard"}


@pytest.mark.parametrize("role", ROLES)
def test_each_demo_role_signs_in_sees_its_own_navigation_and_signs_out(browser_page, live_server, role):
    page, checker = browser_page
    account = live_server.account(role)
    page.goto("/login")
    checker.check("sign-in")
    sign_in(page, account.email, account.password)
    expect(page.get_by_role("heading", level=1)).to_contain_text(LANDS_ON[role])
    expect(page.locator(".app-header__user")).to_contain_text(role.capitalize())
    checker.check(f"{role}-home")
    open_menu_if_collapsed(page)
    menu = page.get_by_role("navigation", name="Menu")
    shown, hidden = _navigation_for(role)
    for label in shown:
        expect(menu.get_by_role("link", name=label, exact=True)).to_be_visible()
    for label in hidden:
        expect(menu.get_by_role("link", name=label, exact=True)).to_have_count(0)
    sign_out(page)
    checker.check("signed-out")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))


def test_a_failed_sign_in_shows_the_error_summary_and_moves_the_focus_to_it(browser_page, live_server):
    page, checker = browser_page
    sign_in(page, live_server.account("champion").email, "not the right password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Email address or password not recognised")
    expect(page).to_have_title(re.compile(r"^Error: "))
    checker.check("sign-in-error")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Password", exact=True)).to_be_focused()


def _tab_to(page, checker, is_target, limit: int = 30) -> list[dict]:
    """Press Tab until `is_target(active element)`; returns what was focused on the way, checking each
    focus is visible."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = checker.focus_is_visible()
        assert focus is not None, "Tab left the page"
        assert focus["changes"] or focus["outline"] or focus["boxShadow"], f"no visible focus on {focus}"
        seen.append(focus)
        if is_target(page):
            return seen
    raise AssertionError(f"not reached with {limit} presses of Tab; focused on the way: {seen}")


def _active(page) -> dict:
    return page.evaluate("() => ({id: document.activeElement.id, text: document.activeElement.innerText || ''})")


def test_a_person_signs_in_and_out_with_the_keyboard_alone(browser_page, live_server):
    page, checker = browser_page
    account = live_server.account("champion")
    page.goto("/login")
    seen = _tab_to(page, checker, lambda p: _active(p)["id"] == "email")
    assert seen[0]["text"] == "Skip to main content", "the skip link must come first"
    page.keyboard.type(account.email)
    _tab_to(page, checker, lambda p: _active(p)["id"] == "password")
    page.keyboard.type(account.password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    # The heading shows before the page's scripts run; the header folds its links behind Menu when they
    # do, so a Tab pressed in between can land on a link that is then hidden. Tab once they have run.
    page.wait_for_load_state("load")

    def on_menu_or_sign_out(p):
        text = _active(p)["text"].strip()
        if text == "Menu":
            p.keyboard.press("Enter")  # phone width: open the folded navigation
            return False
        return text == "Sign out"

    _tab_to(page, checker, on_menu_or_sign_out)
    page.keyboard.press("Enter")
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_every_control_on_the_sign_in_page_shows_where_the_focus_is(browser_page):
    page, checker = browser_page
    page.goto("/login")
    focusable = "a[href], button, input:not([type=hidden]), select, textarea"
    count = page.evaluate(
        "(s) => [...document.querySelectorAll(s)].filter(e => e.offsetParent !== null).length", focusable
    )
    seen = []
    for _ in range(count):
        page.keyboard.press("Tab")
        focus = checker.focus_is_visible()
        assert focus and (focus["changes"] or focus["outline"] or focus["boxShadow"]), f"no visible focus: {focus}"
        seen.append(focus["text"])
    assert "Sign in" in seen


def _pages_for(app, actor: str) -> list[str]:
    role = None if actor == "anonymous" else actor
    urls = []
    for route in discovered_routes():
        if route.method != "GET" or route.arguments or route.endpoint in ("static", "core.healthz", "core.favicon"):
            continue
        access = declared_access(app, route.endpoint)
        if access == PUBLIC or (role and (access == SIGNED_IN or role in (access or ()))):
            urls.append(route.rule)
    return urls


@pytest.mark.parametrize("actor", ("anonymous", *ROLES))
def test_every_page_an_actor_can_open_passes_the_accessibility_audit(browser_page, live_server, actor):
    page, checker = browser_page
    if actor != "anonymous":
        account = live_server.account(actor)
        sign_in(page, account.email, account.password)
        expect(page.get_by_role("heading", level=1)).to_contain_text(LANDS_ON[actor])
    urls = _pages_for(route_app(), actor)
    assert "/accessibility" in urls
    for url in urls:
        # The report archive works out each archived month's figures again (is it revised?): on the demo's
        # thousands of learners, a worker's first visit takes several seconds on a busy machine.
        response = page.goto(url, timeout=60_000)
        if "text/html" in (response.headers.get("content-type") or ""):
            checker.check(f"{actor}{url.replace('/', '-')}")
            _every_focus_is_visible(page, checker)


def _every_focus_is_visible(page, checker, limit: int = 40) -> None:
    """Tab through the page's controls (at most `limit`): each must look different when focused."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = checker.focus_is_visible()
        if focus is None:  # back to the document: every control has been visited
            return
        visible = focus["changes"] or focus["outline"] or focus["boxShadow"]
        assert visible, f"no visible focus on {focus} at {page.url}"


def test_the_accessibility_statement_says_how_to_report_a_problem(browser_page):
    page, checker = browser_page
    page.goto("/login")
    page.get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement for Inclusion")
    expect(page.get_by_role("heading", name="Reporting accessibility problems with this service")).to_be_visible()
    expect(page.get_by_role("link", name="support@example.org").first).to_be_visible()
    expect(page.get_by_text("WCAG", exact=False).first).to_be_visible()
    checker.check("accessibility-statement")
