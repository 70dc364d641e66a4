// The new-session form, offline: its Save puts the session in the device's queue first (then sends
// it at once when it can), attendees can be added from this user's recent learners without a
// connection, and a queued session that could not be sent can be opened again to correct.
// It hooks the form through its submit event and its idempotency_key field only.
const today = () => {
  const now = new Date();
  return [String(now.getDate()), String(now.getMonth() + 1), String(now.getFullYear())];
};

export function attachSessionForm(marker, tools) {
  const form = marker.closest("form");
  if (!form) return;
  const { data, element } = tools;
  const keyField = form.querySelector('[name="idempotency_key"]');
  const params = new URLSearchParams(location.search);
  const chosen = marker.querySelector("[data-offline-chosen]");
  const choices = marker.querySelector("[data-offline-choices]");
  const filter = marker.querySelector("#offline-filter");
  let nativeSubmit = false;

  const learners = new Map((data?.learners || []).map((learner) => [String(learner.id), learner]));
  const inForm = () => new Set(Array.from(form.querySelectorAll('input[name="attendee"]'), (input) => input.value));

  if (params.get("offline") === "1") {
    // The device's copy of the form: it must not reuse the key of the form it was copied from.
    keyField.value = tools.newKey();
    form.querySelectorAll('[name="session_date"]').forEach((input, index) => {
      input.value = today()[index] ?? input.value;
    });
    document.querySelectorAll(".govuk-notification-banner:not([data-offline-banner])").forEach((old) => old.remove());
  }

  // ---- attendees from the device's list ----
  function attendeeRow(learner, ticked = []) {
    const id = String(learner.id);
    const row = element("fieldset", { class: "govuk-fieldset app-attendee govuk-!-margin-bottom-4", "data-offline-attendee": id });
    row.append(
      element("legend", { class: "govuk-fieldset__legend govuk-fieldset__legend--s" }, `${learner.name} `, element("span", { class: "govuk-caption-s" }, learner.reference)),
      element("input", { type: "hidden", name: "attendee", value: id }),
    );
    for (const area of data?.areas || []) {
      const count = area.skills.filter((skill) => ticked.includes(skill.code)).length;
      const summaryText = element("span", { class: "govuk-details__summary-text" }, area.name + (count ? ` (${count} ticked)` : ""));
      const boxes = element("div", { class: "govuk-checkboxes govuk-checkboxes--small" });
      for (const skill of area.skills) {
        const boxId = `offline-skills-${id}-${skill.code}`;
        boxes.append(
          element(
            "div",
            { class: "govuk-checkboxes__item" },
            element("input", { class: "govuk-checkboxes__input", id: boxId, name: `skills-${id}`, type: "checkbox", value: skill.code, checked: ticked.includes(skill.code) }),
            element("label", { class: "govuk-label govuk-checkboxes__label", for: boxId }, skill.title),
          ),
        );
      }
      boxes.addEventListener("change", () => {
        const now = boxes.querySelectorAll("input:checked").length;
        summaryText.textContent = area.name + (now ? ` (${now} ticked)` : "");
      });
      row.append(
        element(
          "details",
          { class: "govuk-details govuk-!-margin-bottom-2", open: count > 0 },
          element("summary", { class: "govuk-details__summary" }, summaryText),
          element("div", { class: "govuk-details__text" }, boxes),
        ),
      );
    }
    const remove = element("button", { type: "button", class: "govuk-button govuk-button--warning govuk-!-margin-bottom-2" }, `Remove ${learner.name}`, element("span", { class: "govuk-visually-hidden" }, " from this session"));
    remove.addEventListener("click", () => {
      row.remove();
      showChoices();
      filter?.focus();
    });
    row.append(remove);
    return row;
  }

  function add(learner, ticked) {
    if (inForm().has(String(learner.id))) return;
    chosen.append(attendeeRow(learner, ticked));
    showChoices();
  }

  function showChoices() {
    if (!choices) return;
    const venue = form.querySelector('[name="venue_id"]')?.value;
    const wanted = (filter?.value || "").trim().toLowerCase();
    const present = inForm();
    const list = Array.from(learners.values())
      .filter((learner) => !present.has(String(learner.id)))
      .filter((learner) => !wanted || learner.name.toLowerCase().includes(wanted) || learner.reference.toLowerCase().includes(wanted))
      .sort((a, b) => Number(b.venue_ids.includes(Number(venue))) - Number(a.venue_ids.includes(Number(venue))))
      .slice(0, 12);
    choices.replaceChildren(
      ...list.map((learner) => {
        const button = element("button", { type: "button", class: "govuk-button govuk-button--secondary govuk-!-margin-bottom-1" }, `Add ${learner.name}`, element("span", { class: "govuk-visually-hidden" }, ` (${learner.reference})`));
        button.addEventListener("click", () => {
          add(learner);
          filter?.focus();
        });
        return element("li", {}, button, " ", element("span", { class: "govuk-hint govuk-!-display-inline" }, learner.reference));
      }),
    );
    if (!list.length) choices.append(element("li", { class: "govuk-hint" }, learners.size ? "No one else matches." : "No learners are kept on this device yet."));
  }
  filter?.addEventListener("input", showChoices);
  form.querySelector('[name="venue_id"]')?.addEventListener("change", showChoices);

  const showPicker = () => {
    marker.hidden = navigator.onLine && params.get("offline") !== "1" && !chosen.children.length;
    if (!marker.hidden) showChoices();
  };
  window.addEventListener("online", showPicker);
  window.addEventListener("offline", showPicker);

  // ---- a queued session opened again to correct ----
  async function reopen(key) {
    const entry = await tools.getEntry(key);
    if (!entry || entry.scope !== tools.scope) return;
    const values = new Map();
    for (const [name, value] of entry.pairs) values.set(name, [...(values.get(name) || []), value]);
    for (const [name, list] of values) {
      if (name === "csrf_token" || name === "attendee" || name.startsWith("skills-")) continue;
      const fields = form.querySelectorAll(`[name="${CSS.escape(name)}"]`);
      fields.forEach((field, index) => {
        if (field.type === "radio" || field.type === "checkbox") field.checked = list.includes(field.value);
        else if (field.type !== "submit" && field.tagName !== "BUTTON") field.value = list[index] ?? list[0];
      });
    }
    for (const id of values.get("attendee") || []) {
      const learner = learners.get(id) || { id, name: entry.summary.names?.[id] || `Learner ${id}`, reference: entry.summary.references?.[id] || "" };
      add(learner, values.get(`skills-${id}`) || []);
    }
    marker.hidden = false;
  }

  // ---- saving ----
  function problemsOffline() {
    const problems = [];
    const venue = form.querySelector('[name="venue_id"]');
    if (venue && (!venue.value || venue.value === "0")) problems.push("Choose a venue.");
    const minutes = Number(form.querySelector('[name="duration_minutes"]')?.value);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 600) problems.push("Enter the duration, from 1 to 600 minutes.");
    const unregistered = Number(form.querySelector('[name="unregistered_attendees"]')?.value || 0);
    if (!inForm().size && !(unregistered > 0)) problems.push("Add at least one attendee, or the number of people helped who would not register.");
    return problems;
  }

  function summarise(pairs) {
    const venue = form.querySelector('[name="venue_id"]');
    const venueName = venue?.selectedOptions?.[0]?.textContent?.trim() || "";
    const [day, month, year] = pairs.filter(([name]) => name === "session_date").map(([, value]) => Number(value));
    const when = year ? new Date(year, month - 1, day).toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric" }) : "";
    const ids = pairs.filter(([name]) => name === "attendee").map(([, value]) => value);
    const names = {};
    const references = {};
    for (const id of ids) {
      const known = learners.get(id);
      const row = form.querySelector(`[data-offline-attendee="${CSS.escape(id)}"] legend`);
      const input = form.querySelector(`input[name="attendee"][value="${CSS.escape(id)}"]`);
      const legend = row || input?.closest("fieldset, li, tr, div")?.querySelector("legend, .app-attendee__name");
      names[id] = known?.name || legend?.firstChild?.textContent?.trim() || `Learner ${id}`;
      references[id] = known?.reference || "";
    }
    const people = ids.map((id) => names[id]);
    const extra = Number(pairs.find(([name]) => name === "unregistered_attendees")?.[1] || 0);
    const count = plural(ids.length + extra, "person", "people");
    return { title: [when, venueName, count].filter(Boolean).join(", "), people, names, references };
  }

  function resetForm() {
    keyField.value = tools.newKey();
    form.querySelectorAll('input[name="attendee"]').forEach((input) => {
      const holder = input.closest("[data-offline-attendee]") || input.nextElementSibling?.matches?.(".app-attendee") && input.nextElementSibling;
      if (holder) holder.remove();
      input.remove();
    });
    form.querySelectorAll(".app-attendee").forEach((row) => row.remove());
    const notes = form.querySelector('[name="notes"]');
    if (notes) notes.value = "";
    const unregistered = form.querySelector('[name="unregistered_attendees"]');
    if (unregistered) unregistered.value = "0";
    showPicker();
  }

  form.addEventListener("submit", async (event) => {
    if (nativeSubmit || event.defaultPrevented) return;
    const submitter = event.submitter;
    const saving = submitter && submitter.name === "action" && submitter.value === "save";
    if (!saving) {
      if (!navigator.onLine) {
        event.preventDefault();
        await tools.render("You are offline: add attendees from the list on this page. Finding or registering someone new needs a connection.");
      }
      return;
    }
    event.preventDefault();
    if (!navigator.onLine) {
      const problems = problemsOffline();
      if (problems.length) {
        await tools.render(`Not saved yet: ${problems.join(" ")}`);
        document.querySelector("[data-offline-queue]")?.scrollIntoView();
        return;
      }
    }
    if (!keyField.value) keyField.value = tools.newKey();
    const pairs = Array.from(new FormData(form, submitter).entries()).filter(([name]) => name !== "q");
    const entry = { key: keyField.value, scope: tools.scope, queuedAt: new Date().toISOString(), status: "waiting", pairs, summary: summarise(pairs), errors: [] };
    await tools.putEntry(entry); // on this device before anything is sent: nothing is lost if the send fails
    if (navigator.onLine) {
      // The device's copy of the form may hold the token of an earlier sign-in: ask for today's.
      const token = params.get("offline") === "1" ? (await tools.freshToken().catch(() => ({}))).token : form.querySelector('[name="csrf_token"]')?.value;
      const result = token ? await tools.send(entry, token, "live") : { kind: "later" };
      if (result.kind === "saved") {
        await tools.deleteEntry(entry.key);
        location.assign(result.url);
        return;
      }
      if (result.kind === "invalid") {
        // The server shows every error in the form itself, as without this script.
        await tools.deleteEntry(entry.key);
        nativeSubmit = true;
        form.requestSubmit(submitter);
        return;
      }
    }
    resetForm();
    await tools.render("Saved on this device. It is sent when the connection returns.");
    document.querySelector("[data-offline-queue]")?.scrollIntoView();
    if (navigator.onLine) tools.flush();
  });

  showPicker();
  if (params.get("queued")) reopen(params.get("queued"));
}

const plural = (count, one, many) => `${count} ${count === 1 ? one : many}`;
