// Registering a new learner without leaving the session form: the registration form (the same
// fields, rules and duplicate check as the learner page) in a modal dialog, sent with fetch.
// Without this file the "Register a new learner" button keeps the session as a draft, opens the
// learner page and comes back.
import { initAll } from "./govuk-frontend.min.js";

export class RegisterDialog {
  constructor(form, dialog, onRegistered) {
    this.form = form;
    this.dialog = dialog;
    this.body = dialog.querySelector("[data-register-body]");
    this.title = dialog.querySelector("h2");
    this.url = form.dataset.registerUrl;
    this.onRegistered = onRegistered;
    this.dialog.addEventListener("click", (event) => {
      if (event.target.closest("[data-register-cancel]")) this.dialog.close();
    });
    this.dialog.addEventListener("submit", (event) => {
      const inner = event.target.closest("[data-register-form]");
      if (!inner) return;
      event.preventDefault();
      this.send(inner, event.submitter);
    });
  }

  csrfToken() {
    const input = this.form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  // Open the dialog with the registration form, the name typed in the search box filled in.
  // Returns false when the form could not be fetched (the caller then posts the page instead).
  async open(name) {
    let response;
    try {
      // The name is filled in here, never sent in the address (addresses end up in access logs).
      response = await fetch(this.url, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
    } catch {
      return false;
    }
    if (!response.ok) return false;
    this.show(await response.text());
    const [given, ...rest] = name.split(/\s+/).filter(Boolean);
    const firstName = this.body.querySelector("[name='learner-first_name']");
    const lastName = this.body.querySelector("[name='learner-last_name']");
    if (given && firstName && lastName) {
      firstName.value = given.slice(0, 100);
      lastName.value = rest.join(" ").slice(0, 100);
    }
    this.dialog.showModal();
    const first = this.body.querySelector("input:not([type=hidden])");
    (first || this.title).focus();
    return true;
  }

  show(html) {
    this.body.innerHTML = html;
    initAll({ scope: this.body }); // the error summary takes the focus itself when there are errors
  }

  async send(inner, submitter) {
    const data = new FormData(inner, submitter);
    let response;
    try {
      response = await fetch(inner.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": this.csrfToken() },
      });
    } catch {
      this.problem("The connection dropped: nothing was registered. Try again in a moment.");
      return;
    }
    const type = response.headers.get("Content-Type") || "";
    if (response.ok && type.includes("json")) {
      const learner = await response.json();
      this.dialog.close();
      this.onRegistered(learner);
    } else if (response.status === 409 || response.status === 422) {
      this.show(await response.text());
      const duplicates = this.body.querySelector("#possible-duplicates");
      if (duplicates) {
        duplicates.setAttribute("tabindex", "-1");
        duplicates.focus();
      }
    } else {
      this.problem("Something went wrong: nothing was registered. Try again, or use the learner page.");
    }
  }

  problem(message) {
    let box = this.body.querySelector("[data-register-problem]");
    if (!box) {
      box = document.createElement("p");
      box.className = "govuk-error-message";
      box.setAttribute("role", "alert");
      box.dataset.registerProblem = "";
      this.body.prepend(box);
    }
    box.textContent = message;
  }
}
