// The attendee list of the session form, changed in place: add a row fetched from the server,
// remove one, keep the counts (attendees, skills ticked per person and per area) right.
// Every change is announced in the form's status region; the page never moves under the champion.

export class Attendees {
  constructor(form, announce) {
    this.form = form;
    this.announce = announce;
    this.list = form.querySelector("#attendee-list");
    this.empty = form.querySelector("[data-attendees-empty]");
    this.url = form.dataset.attendeeUrl;
    this.sessionId = form.dataset.sessionId;
    form.addEventListener("change", (event) => {
      if (event.target.matches(".app-attendee input[type=checkbox]")) this.countSkills(event.target.closest(".app-attendee"));
    });
  }

  ids() {
    return Array.from(this.list.querySelectorAll("input[name=attendee]"), (input) => input.value);
  }

  has(learnerId) {
    return this.ids().includes(String(learnerId));
  }

  // Fetch the learner's row and put it at the end of the list; false if it could not be fetched.
  async add(learnerId) {
    if (this.has(learnerId)) {
      const row = this.list.querySelector(`[data-attendee="${learnerId}"]`);
      this.announce(`${row.dataset.name} is already on this session.`);
      return true;
    }
    const params = new URLSearchParams({ learner: learnerId });
    if (this.sessionId) params.set("session", this.sessionId);
    let response;
    try {
      response = await fetch(`${this.url}?${params}`, { credentials: "same-origin", headers: { Accept: "text/html" } });
    } catch {
      return false;
    }
    if (!response.ok) return false;
    this.insert(await response.text());
    return true;
  }

  // Put a row (HTML from the server) on the list and say so.
  insert(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    const row = template.content.querySelector(".app-attendee");
    if (!row || this.has(row.dataset.attendee)) return null;
    this.list.append(row);
    this.changed();
    this.announce(`Added ${row.dataset.name}. ${this.summary()}`);
    return row;
  }

  remove(learnerId) {
    const row = this.list.querySelector(`[data-attendee="${learnerId}"]`);
    if (!row) return null;
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    this.changed();
    this.announce(`Removed ${row.dataset.name}. ${this.summary()}`);
    return next;
  }

  summary() {
    const count = this.ids().length;
    return `${count} ${count === 1 ? "attendee" : "attendees"}.`;
  }

  changed() {
    const count = this.ids().length;
    this.form.querySelectorAll("[data-attendee-count]").forEach((element) => (element.textContent = count));
    this.form.querySelectorAll("[data-attendee-word]").forEach((element) => {
      element.textContent = count === 1 ? "attendee" : "attendees";
    });
    this.form.querySelectorAll("[data-attendees-heading]").forEach((element) => (element.textContent = `Attendees (${count})`));
    if (this.empty) this.empty.hidden = count > 0;
  }

  countSkills(row) {
    row.querySelectorAll("[data-area]").forEach((area) => {
      area.querySelector("[data-area-count]").textContent = `(${area.querySelectorAll("input:checked").length} ticked)`;
    });
    row.querySelector("[data-ticked-count]").textContent = `(${row.querySelectorAll("input[type=checkbox]:checked").length} ticked)`;
  }
}
