// Progressive enhancement only: every page works without this file.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// A table wider than the screen scrolls sideways inside .app-table-scroll. Keyboard users can only
// scroll it if it can take the focus (WCAG 2.1.1), so a wrapper that overflows becomes a named,
// focusable region; one that fits stays out of the tab order.
function updateScrollRegions() {
  document.querySelectorAll(".app-table-scroll").forEach((wrapper) => {
    if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
      const caption = wrapper.querySelector("caption");
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table (scrolls sideways)");
    } else {
      wrapper.removeAttribute("tabindex");
      wrapper.removeAttribute("role");
      wrapper.removeAttribute("aria-label");
    }
  });
}
updateScrollRegions();
window.addEventListener("resize", updateScrollRegions);

// The skills passport's Print button (hidden without JavaScript: the page says how to print).
document.querySelectorAll("[data-app-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
