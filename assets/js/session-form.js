// The session form, enhanced: find, add and remove attendees and register a new learner without a
// page load, search as you type, and the chosen venue's recent learners and defaults. Progressive
// enhancement only: without this file every button posts the whole form and the page comes back
// the same, and when a fetch fails (offline, slow) the button does exactly that.
import { Attendees } from "./session-attendees.js";
import { RegisterDialog } from "./session-register.js";

const form = document.querySelector("[data-module=app-session-form]");
const status = document.getElementById("session-form-status");

function announce(message) {
  // Emptied first so that the same words twice ("Added Ann") are read twice.
  status.textContent = "";
  window.setTimeout(() => (status.textContent = message), 100);
}

function postTheForm(button) {
  form.requestSubmit(button);
}

if (form && status) {
  const attendees = new Attendees(form, announce);
  const input = form.querySelector("[data-find-url]");
  const results = document.getElementById("find-results");
  const recent = document.getElementById("recent-learners");
  const repeat = form.querySelector("[data-repeat]");
  const venue = document.getElementById("venue_id");
  const dialog = document.getElementById("register-dialog");
  const registerButton = form.querySelector("button[name=action][value=register]");
  const register = new RegisterDialog(form, dialog, (learner) => {
    const row = attendees.insert(learner.row);
    input.value = "";
    results.innerHTML = "";
    announce(`Registered ${learner.name} (${learner.reference}) and added them. ${attendees.summary()}`);
    const skills = row && row.querySelector("summary");
    (skills || registerButton).focus();
  });

  // --- Finding learners -------------------------------------------------------------------------
  let timer;
  let latest = 0;
  async function find(query) {
    const ticket = ++latest;
    if (query.length < 2) {
      results.innerHTML = "";
      return true;
    }
    try {
      const response = await fetch(`${input.dataset.findUrl}?q=${encodeURIComponent(query)}`, {
        headers: { Accept: "text/html" },
        credentials: "same-origin",
      });
      if (!response.ok) return false;
      const html = await response.text();
      if (ticket === latest) {
        results.innerHTML = html;
        // People already on the session are not offered again.
        results.querySelectorAll("[data-add]").forEach((button) => {
          if (attendees.has(button.dataset.add)) button.closest("li").remove();
        });
      }
      return true;
    } catch {
      return false; // offline or slow: the Find button still works
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => find(input.value.trim()), 250);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault(); // Enter in the search box finds; it never saves the session
      clearTimeout(timer);
      find(input.value.trim());
    }
  });

  // --- The buttons of the form: each is handled in place, or posts the form as without script --
  form.addEventListener("click", async (event) => {
    const button = event.target.closest("button[type=submit]");
    if (!button || !form.contains(button)) return;
    if (button.name === "add") {
      event.preventDefault();
      const item = button.closest("li");
      const list = item && item.parentElement;
      const fromSearch = Boolean(button.closest("#find-results"));
      const tappedAt = button.getBoundingClientRect().top;
      if (!(await attendees.add(button.value))) return postTheForm(button);
      // Focus stays where the champion is: the next person offered, or the search box.
      const next = item && (item.nextElementSibling || item.previousElementSibling);
      if (item) item.remove();
      if (fromSearch) {
        input.value = "";
        results.innerHTML = "";
        input.focus();
      } else if (next) {
        const target = next.querySelector("button");
        target.focus({ preventScroll: true });
        // The new row went in above: scroll by as much, so the next button is where the finger was.
        window.scrollBy(0, target.getBoundingClientRect().top - tappedAt);
      } else {
        if (list && !list.children.length) list.previousElementSibling?.remove(); // the list's heading
        input.focus();
      }
    } else if (button.name === "remove") {
      event.preventDefault();
      const next = attendees.remove(button.value);
      (next ? next.querySelector("button[name=remove]") : document.getElementById("attendees")).focus();
    } else if (button.name === "action" && button.value === "find") {
      event.preventDefault();
      clearTimeout(timer);
      if (!(await find(input.value.trim()))) postTheForm(button); // the results are announced (aria-live)
    } else if (button.name === "action" && button.value === "register") {
      event.preventDefault();
      if (!(await register.open(input.value.trim()))) postTheForm(button);
    }
  });

  // --- A different venue: its recent learners, its last session to repeat, their usual type and
  // duration there (only into fields the champion has not changed, nor is in: an answer that lands
  // while they are typing would otherwise turn the 60 they typed into 9060) ------------------------
  const touched = new Set();
  form.addEventListener("input", (event) => touched.add(event.target.name));
  const untouched = (name) => !touched.has(name) && document.activeElement?.name !== name;
  if (venue) {
    venue.addEventListener("change", async () => {
      const params = new URLSearchParams({ venue: venue.value });
      attendees.ids().forEach((id) => params.append("exclude", id));
      try {
        const response = await fetch(`${form.dataset.venueUrl}?${params}`, { credentials: "same-origin" });
        if (!response.ok) return;
        const context = await response.json();
        recent.innerHTML = context.recent;
        if (repeat && !form.dataset.sessionId) repeat.innerHTML = context.repeat;
        const duration = form.querySelector("[name=duration_minutes]");
        if (context.duration_minutes && duration && untouched("duration_minutes")) {
          duration.value = context.duration_minutes;
        }
        const type = context.session_type && form.querySelector(`[name=session_type][value="${context.session_type}"]`);
        if (type && untouched("session_type")) type.checked = true;
      } catch {
        // Offline: the list catches up when the form is next sent.
      }
    });
  }
}
