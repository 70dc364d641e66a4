"""Helpers for the browser tests: the accessibility audit, screenshots, signing in and out."""

import re

from playwright.sync_api import Page, expect

from tests.e2e.settings import AXE, AXE_URL, SCREENSHOTS

# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe-core has no separate wcag22a tag: its 2.2 A rules are
# tagged wcag22aa or already covered by the 2.1 tags).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Best-practice rules run as well as the WCAG ones: "region" (all content inside landmarks; issue 14).
AXE_EXTRA_RULES = ["region"]
# Every violation fails, whatever its impact (issue 14: 0 violations of any impact).
FAILING_IMPACTS = {"minor", "moderate", "serious", "critical", None}

_RUN_AXE = """async ([tags, extra]) => {
  const rules = Object.fromEntries(extra.map(id => [id, {enabled: true}]));
  const options = {runOnly: {type: "tag", values: tags}, rules: rules, resultTypes: ["violations"]};
  const results = await axe.run(document, options);
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + "  " + n.html.slice(0, 200)),
  }));
}"""

# What a focused element looks like, compared with the same element unfocused.
_FOCUS_STYLES = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const look = () => {
    const s = getComputedStyle(el);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor, s.color,
            s.textDecorationLine, s.borderColor].join("|");
  };
  const focused = look();
  el.blur();
  const unfocused = look();
  el.focus();
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0
                  && s.outlineColor !== "rgba(0, 0, 0, 0)";
  return {tag: el.tagName, text: (el.innerText || el.value || el.name || "").trim().slice(0, 40),
          changes: focused !== unfocused, outline: outline, boxShadow: s.boxShadow !== "none"};
}"""


# The page's width against the window's, the element sticking out furthest, and tables that would
# need their scroll box (columns clipped from view until scrolled).
_OVERFLOW = """() => {
  const viewport = document.documentElement.clientWidth;
  let widest = null, right = viewport;
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right > right + 0.5) {
      right = r.right;
      widest = el.tagName + "." + el.className + " " + (el.textContent || "").trim().slice(0, 40);
    }
  }
  const clipped = [...document.querySelectorAll(".app-table-scroll")]
    .filter(box => box.scrollWidth > box.clientWidth + 1)
    .map(box => `${(box.querySelector("caption") || box).textContent.trim().slice(0, 60)}`
                + ` (${box.scrollWidth} > ${box.clientWidth})`);
  return {page: document.documentElement.scrollWidth, viewport: viewport, widest: widest, clipped: clipped};
}"""


class PageChecker:
    """Audits each page a test visits: axe-core, screenshots and the browser console."""

    def __init__(self, page: Page, prefix: str, viewport: str):
        self.page = page
        self.prefix = re.sub(r"[^A-Za-z0-9_-]+", "-", prefix)
        self.viewport = viewport
        self.console_errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error} (on {page.url})"))
        # axe-core comes from the app's own origin, so the page's Content-Security-Policy stays in force;
        # Playwright answers that one address from node_modules, so it is never among the app's files.
        page.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _on_console(self, message) -> None:
        # A failed load of a page we expect to refuse (403, 404) is logged too; that is not a fault.
        if message.type == "error" and "Failed to load resource" not in message.text:
            source = message.location.get("url") or "?"
            self.console_errors.append(f"{message.text} (from {source}, on {self.page.url})")

    def check(self, name: str) -> None:
        """Screenshot the page, then fail on any violation axe-core finds and on content wider than the screen."""
        self.page.wait_for_load_state("load")
        self.page.screenshot(path=str(SCREENSHOTS / f"{self.prefix}-{name}.png"), full_page=True)
        self.assert_fits_the_screen()
        violations = self.violations()
        failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        assert not failing, f"axe-core found on {self.page.url}:\n" + "\n".join(
            f"  {v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(f"      {node}" for node in v["nodes"])
            for v in failing
        )
        self.assert_no_console_errors()

    def assert_fits_the_screen(self) -> None:
        """Nothing scrolls sideways: not the page (a phone's 390 px), not a table inside its scroll box."""
        overflow = self.page.evaluate(_OVERFLOW)
        assert overflow["page"] <= overflow["viewport"], (
            f"{self.page.url} is {overflow['page']} px wide in a {overflow['viewport']} px window "
            f"(widest: {overflow['widest']})"
        )
        assert not overflow["clipped"], f"{self.page.url}: tables wider than their box: {overflow['clipped']}"

    def violations(self) -> list[dict]:
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(url=AXE_URL)
        return self.page.evaluate(_RUN_AXE, [AXE_TAGS, AXE_EXTRA_RULES])

    def assert_no_console_errors(self) -> None:
        errors, self.console_errors = self.console_errors, []
        # One line: CI's summary keeps only the first line of a failure's message.
        assert not errors, "the browser reported (a Content-Security-Policy violation?): " + " | ".join(errors)

    def focus_is_visible(self) -> dict | None:
        return self.page.evaluate(_FOCUS_STYLES)


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def open_menu_if_collapsed(page: Page) -> None:
    """At phone widths GOV.UK Frontend folds the navigation behind a Menu button."""
    page.wait_for_load_state("load")  # GOV.UK Frontend's script has folded the menu by then
    menu = page.get_by_role("button", name="Menu")
    if menu.count() and menu.is_visible() and menu.get_attribute("aria-expanded") != "true":
        menu.click()


def sign_out(page: Page) -> None:
    """Sign out and wait until it is done: the page's script clears this device's offline store
    before it sends the form, so the click returns before the sign-out does (a navigation started
    meanwhile would cancel it)."""
    open_menu_if_collapsed(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
