// Logging sessions offline (docs/offline.md). Progressive enhancement: without this script the
// session form posts as it always has. With it, the service worker keeps the form and this user's
// venues, recent learners and skills; "Save session" puts the session in a queue on this device
// (IndexedDB, under its idempotency key) before sending it, so a dropped connection loses nothing:
// the queue is sent when the connection returns, and the banner says what happened to each.
// Signing out deletes everything kept (and the server's Clear-Site-Data says the same).
import { Workbox } from "workbox-window";
import {
  allEntries,
  CACHE_PREFIX,
  DATA_PATH,
  deleteDatabase,
  deleteEntry,
  getEntry,
  getMeta,
  putEntry,
  setMeta,
  setScope,
  updateEntry,
  userCache,
} from "./store.js";
import { attachSessionForm } from "./session-form-offline.js";

const config = document.querySelector('meta[name="inclusion-offline"]');
const SCOPE = config ? config.content : "";
const SEND_TIMEOUT_MS = 20000;
const RETRY_MS = 60000;
const live = document.querySelector("[data-offline-queue]");
const announcer = document.querySelector("[data-offline-announce]");
let offlineData = null;
let signOutWarned = false;
let lastProblem = "";

const plural = (count, one, many) => `${count} ${count === 1 ? one : many}`;
const newKey = () =>
  crypto.randomUUID ? crypto.randomUUID() : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) node.setAttribute(name, "");
    else if (value !== false && value != null) node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child != null) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// ---- What this device holds for whom ---------------------------------------------------------

async function claimDevice() {
  await setScope(SCOPE);
  for (const name of await caches.keys()) {
    if (name.startsWith(CACHE_PREFIX) && name !== userCache(SCOPE)) await caches.delete(name); // another user's
  }
}

const DATA_FRESH_MS = 30 * 60 * 1000; // away from the session form, the kept data is renewed at most this often

async function loadOfflineData(needed) {
  const cached = async () => {
    const response = await (await caches.open(userCache(SCOPE))).match(DATA_PATH);
    return response ? response.json() : null;
  };
  const fetchedAt = (await getMeta("dataFetchedAt")) || 0;
  if (!needed && Date.now() - fetchedAt < DATA_FRESH_MS && (await cached())) return null;
  try {
    const response = await fetch(config.dataset.data, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (response.ok && !response.redirected) {
      const body = await response.json();
      if (navigator.onLine) await setMeta("dataFetchedAt", Date.now());
      return body;
    }
  } catch {
    // offline and no worker yet: the cache below
  }
  return cached();
}

async function freshToken() {
  const response = await fetch(config.dataset.data, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
  if (response.redirected || !response.ok) return { signedOut: true };
  const body = await response.json();
  return body.scope === SCOPE ? { token: body.csrf_token } : { signedOut: true };
}

async function clearEverything() {
  for (const name of await caches.keys()) await caches.delete(name);
  await deleteDatabase();
  if (navigator.serviceWorker) {
    for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
  }
}

// ---- Sending ---------------------------------------------------------------------------------

async function send(entry, token, delivery) {
  const body = new URLSearchParams();
  for (const [name, value] of entry.pairs) {
    if (name !== "csrf_token" && name !== "delivery") body.append(name, value);
  }
  body.append("csrf_token", token);
  body.append("delivery", delivery);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), SEND_TIMEOUT_MS);
  try {
    const response = await fetch(config.dataset.send, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: controller.signal,
    });
    if (response.redirected) return { kind: "signed-out" };
    if (response.status === 200) return { kind: "saved", ...(await response.json()) };
    if (response.status === 422 || response.status === 403) return { kind: "invalid", ...(await response.json()) };
    if (response.status === 400) return { kind: "signed-out" }; // the sign-in changed since (CSRF)
    return { kind: "later" };
  } catch {
    return { kind: "later" }; // no connection, or the answer was lost: the same key is sent again
  } finally {
    clearTimeout(timer);
  }
}

const mine = (entry) => entry.scope === SCOPE;
const waiting = (entry) => entry.status === "waiting" || entry.status === "sending";
let flushing = null;

function flush() {
  if (!flushing) {
    const run = () => sendWaiting();
    flushing = (navigator.locks ? navigator.locks.request("inclusion-offline-send", run) : run()).finally(() => {
      flushing = null;
    });
  }
  return flushing;
}

async function sendWaiting() {
  const entries = (await allEntries()).filter((entry) => mine(entry) && waiting(entry));
  if (!entries.length) return;
  let credentials;
  try {
    credentials = await freshToken();
  } catch {
    return render(); // still offline
  }
  if (credentials.signedOut) {
    lastProblem = "Sign in again to send them: they stay on this device until then.";
    return render();
  }
  lastProblem = "";
  for (const entry of entries.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt))) {
    await updateEntry(entry.key, { status: "sending" });
    const result = await send(entry, credentials.token, "queued");
    if (result.kind === "saved") {
      await updateEntry(entry.key, { status: "sent", url: result.url, notes: result.notes || [], shown: false, errors: [] });
    } else if (result.kind === "invalid") {
      await updateEntry(entry.key, { status: "error", errors: (result.errors || []).map((error) => error.message) });
    } else {
      await updateEntry(entry.key, { status: "waiting" });
      if (result.kind === "signed-out") lastProblem = "Sign in again to send them: they stay on this device until then.";
      break;
    }
  }
  await render();
}

// ---- The banner ------------------------------------------------------------------------------

function itemFor(entry) {
  const item = element("li", { class: "govuk-!-margin-bottom-4", "data-offline-entry": entry.key });
  item.append(element("p", { class: "govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1" }, entry.summary.title));
  if (entry.summary.people.length) {
    item.append(element("p", { class: "govuk-body-s govuk-!-margin-bottom-1" }, `Attendees: ${entry.summary.people.join(", ")}`));
  }
  if (entry.status === "sent") {
    item.append(element("p", { class: "govuk-body govuk-!-margin-bottom-1" }, "Sent and saved. ", element("a", { class: "govuk-link", href: entry.url }, "View the session")));
    for (const note of entry.notes || []) item.append(element("p", { class: "govuk-body-s govuk-!-margin-bottom-1" }, note));
  } else if (entry.status === "error") {
    item.append(element("p", { class: "govuk-error-message govuk-!-margin-bottom-1" }, element("span", { class: "govuk-visually-hidden" }, "Error: "), "Not sent: ", entry.errors.join(" ")));
    const actions = element("div", { class: "govuk-button-group govuk-!-margin-bottom-0" });
    actions.append(element("a", { class: "govuk-link", href: `${config.dataset.form}?queued=${encodeURIComponent(entry.key)}` }, "Correct it in the form"));
    const discard = element("button", { type: "button", class: "govuk-button govuk-button--warning govuk-!-margin-bottom-0" }, "Discard it");
    discard.addEventListener("click", async () => {
      if (discard.dataset.confirm !== "yes") {
        discard.dataset.confirm = "yes";
        discard.textContent = "Yes, discard this session for good";
        return;
      }
      await deleteEntry(entry.key);
      await render("Session discarded.");
    });
    actions.append(discard);
    item.append(actions);
  } else {
    item.append(element("p", { class: "govuk-body govuk-!-margin-bottom-1" }, entry.status === "sending" ? "Sending…" : "Waiting to send."));
  }
  return item;
}

async function render(extra = "") {
  if (!live) return;
  const entries = (await allEntries()).filter(mine).sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
  const others = (await allEntries()).filter((entry) => !mine(entry) && entry.status !== "sent").length;
  const toSend = entries.filter(waiting).length;
  const failed = entries.filter((entry) => entry.status === "error").length;
  const sent = entries.filter((entry) => entry.status === "sent").length;
  const lines = [];
  if (!navigator.onLine) lines.push("You are offline. Sessions you save are kept on this device and sent when you are back online.");
  if (toSend) lines.push(`${plural(toSend, "session", "sessions")} waiting to send.`);
  if (failed) lines.push(`${plural(failed, "session", "sessions")} could not be sent: correct or discard ${failed === 1 ? "it" : "them"} below.`);
  if (sent) lines.push(`${plural(sent, "session", "sessions")} sent.`);
  if (toSend && lastProblem) lines.push(lastProblem);
  if (signOutWarned) {
    lines.push(
      `Signing out deletes the ${plural(toSend + failed + others, "session", "sessions")} not yet sent from this device. ` +
        "Connect to the internet to send them first, or press Sign out again to delete them and sign out.",
    );
  }
  if (extra) lines.push(extra);
  live.replaceChildren();
  if (!lines.length) return;
  const banner = element(
    "div",
    { class: `govuk-notification-banner${failed || signOutWarned ? " app-offline-queue--problem" : ""}`, role: "region", "aria-labelledby": "offline-queue-title", "data-offline-banner": true },
    element("div", { class: "govuk-notification-banner__header" }, element("h2", { class: "govuk-notification-banner__title", id: "offline-queue-title" }, "Sessions on this device")),
  );
  const content = element("div", { class: "govuk-notification-banner__content" });
  lines.forEach((line, index) => content.append(element("p", { class: index === 0 ? "govuk-notification-banner__heading" : "govuk-body" }, line)));
  if (entries.length) content.append(element("ul", { class: "govuk-list" }, entries.map(itemFor)));
  if (toSend && navigator.onLine) {
    const again = element("button", { type: "button", class: "govuk-button govuk-button--secondary govuk-!-margin-bottom-0" }, "Send now");
    again.addEventListener("click", () => inBackground(flush));
    content.append(again);
  }
  banner.append(content);
  live.append(banner);
  if (announcer) announcer.textContent = lines.join(" ");
  for (const entry of entries.filter((e) => e.status === "sent" && !e.shown)) await updateEntry(entry.key, { shown: true });
}

async function forgetShownSent() {
  for (const entry of (await allEntries()).filter((e) => mine(e) && e.status === "sent" && e.shown)) await deleteEntry(entry.key);
}

// ---- Signing out -----------------------------------------------------------------------------

function guardSignOut() {
  document.querySelectorAll('form[action$="/logout"]').forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      let unsent = 0;
      try {
        unsent = (await allEntries()).filter((entry) => entry.status !== "sent").length;
      } catch {
        // nothing readable is kept: sign out
      }
      if (unsent && !signOutWarned) {
        signOutWarned = true;
        await render();
        live?.scrollIntoView();
        return;
      }
      // Never held up for long: the server's Clear-Site-Data clears the same things.
      const giveUp = new Promise((resolve) => setTimeout(resolve, 3000));
      try {
        await Promise.race([clearEverything(), giveUp]);
      } finally {
        form.submit();
      }
    });
  });
}

async function start() {
  await claimDevice();
  if (navigator.serviceWorker && config.dataset.worker) {
    new Workbox(config.dataset.worker, { scope: "/" }).register().catch(() => {});
  }
  guardSignOut();
  await forgetShownSent();
  const marker = document.querySelector("[data-offline-session-form]");
  offlineData = await loadOfflineData(Boolean(marker));
  if (marker) {
    attachSessionForm(marker, {
      data: offlineData,
      scope: SCOPE,
      newKey,
      send,
      freshToken,
      render,
      flush: () => inBackground(flush), // the form never waits for the queue to send
      element,
      putEntry,
      getEntry,
      deleteEntry,
    });
  }
  await render();
  window.addEventListener("online", () => {
    inBackground(render);
    inBackground(flush);
  });
  window.addEventListener("offline", () => inBackground(render));
  setInterval(() => {
    if (navigator.onLine) inBackground(flush);
  }, RETRY_MS);
  if (navigator.onLine) inBackground(flush);
}

// A retry or a redraw nobody waits for: if the device's store is gone (signed out in another tab,
// storage cleared), there is nothing to tell the champion that the banner does not already say.
function inBackground(work) {
  work().catch((error) => console.warn("Offline queue:", error));
}

if (config && SCOPE && window.indexedDB && window.caches) {
  start().catch((error) => console.warn("Logging offline is not available in this browser:", error));
}
