// Search-as-you-type for the session form. Progressive enhancement: without this file the
// "Find" button posts the whole form and the page comes back with the same results.
const input = document.querySelector("[data-find-url]");
const results = document.getElementById("find-results");

if (input && results) {
  let timer;
  let latest = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const query = input.value.trim();
      const ticket = ++latest;
      if (query.length < 2) {
        results.innerHTML = "";
        return;
      }
      try {
        const response = await fetch(`${input.dataset.findUrl}?q=${encodeURIComponent(query)}`, {
          headers: { Accept: "text/html" },
          credentials: "same-origin",
        });
        if (response.ok && ticket === latest) {
          results.innerHTML = await response.text();
        }
      } catch {
        // Offline or slow: the Find button still works.
      }
    }, 250);
  });
}

// When the venue changes, show that venue's recent learners (without JavaScript they follow
// on the next Find or Add).
const venue = document.getElementById("venue_id");
const recent = document.getElementById("recent-learners");

if (venue && recent) {
  venue.addEventListener("change", async () => {
    const params = new URLSearchParams({ venue: venue.value });
    document.querySelectorAll("input[name=attendee]").forEach((input) => params.append("exclude", input.value));
    try {
      const response = await fetch(`${recent.dataset.recentUrl}?${params}`, { credentials: "same-origin" });
      if (response.ok) {
        recent.innerHTML = await response.text();
      }
    } catch {
      // Offline: the list catches up when the form is next sent.
    }
  });
}
