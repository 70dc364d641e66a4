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
