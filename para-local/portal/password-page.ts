import { escapeHtml, portalPage } from "./html.js";

/**
 * The portal's password page, in its two forms: "create" (sign-up: type and confirm a new
 * password) and "login" (type it again on any device). The modal embeds it in an iframe and
 * listens for the portal's messages: `HEIGHT` sizes the iframe (52px otherwise), and
 * `CLOSE_WINDOW` removes it once the password is accepted. The page posts the password to its
 * own origin; the portal does the rest on the store.
 */
export interface PasswordPageOptions {
  mode: "create" | "login";
  /** Where the form posts (same origin as the page). */
  action: string;
  /** Shown above the form: the email or phone of the account. */
  identifier?: string;
  /** Extra fields posted with the password (the login URL's session and device key). */
  fields?: Record<string, string>;
  /** The app's origin from the URL, the only target of the page's messages when present. */
  parentOrigin?: string;
  minLength: number;
}

export function renderPasswordPage(options: PasswordPageOptions): string {
  const create = options.mode === "create";
  const title = create ? "Create a password" : "Enter your password";
  const config = {
    action: options.action,
    fields: options.fields ?? {},
    parentOrigin: options.parentOrigin ?? "*",
    create,
    minLength: options.minLength,
  };
  return portalPage({
    title: escapeHtml(title),
    style: `
  body { margin: 0; padding: 16px; }
  button { border: 0; }`,
    body: `<form id="password-form" novalidate>
  <p><strong>${escapeHtml(title)}</strong>${options.identifier ? ` for ${escapeHtml(options.identifier)}` : ""}</p>
  <label>Password
    <input id="password" name="password" type="password" autocomplete="${create ? "new-password" : "current-password"}" required minlength="${options.minLength}">
  </label>
  ${
    create
      ? `<label>Confirm password
    <input id="confirm" name="confirm" type="password" autocomplete="new-password" required>
  </label>`
      : ""
  }
  <p role="alert" id="error"></p>
  <button type="submit" id="submit">${create ? "Save password" : "Continue"}</button>
  <p class="note">para-local: a local stand-in for Para's portal.</p>
</form>`,
    config,
    script: PAGE_SCRIPT,
  });
}

/** Runs in the page: validate, post, tell the modal. Kept in plain ES2020 (no bundling). */
const PAGE_SCRIPT = `
(() => {
  const config = JSON.parse(document.getElementById("config").textContent);
  const form = document.getElementById("password-form");
  const error = document.getElementById("error");
  const submit = document.getElementById("submit");
  const target = window.opener || window.parent;
  const tell = (message) => { if (target && target !== window) target.postMessage(message, config.parentOrigin); };
  const reportHeight = () => tell({ type: "HEIGHT", height: Math.ceil(document.documentElement.scrollHeight) });
  tell({ type: "LOADED" });
  reportHeight();
  new ResizeObserver(reportHeight).observe(document.body);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const password = form.password.value;
    if (password.length < config.minLength) return show("Use at least " + config.minLength + " characters.");
    if (config.create && password !== form.confirm.value) return show("The passwords do not match.");
    submit.disabled = true;
    show("");
    try {
      const response = await fetch(config.action, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...config.fields, password }),
      });
      const answer = await response.text();
      if (!response.ok) return show(answer || "Something went wrong.");
      tell({ type: "CLOSE_WINDOW", success: true });
      if (window.opener) window.close();
    } catch {
      show("para-local is not reachable.");
    } finally {
      submit.disabled = false;
    }
  });

  function show(message) { error.textContent = message; reportHeight(); }
})();
`;
