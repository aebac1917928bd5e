import { escapeHtml, portalPage } from "./html.js";

/**
 * The consent screen para-local shows in place of an OAuth provider's (Google, X, …). The modal
 * opened it in a popup and watches only whether the popup is closed (no message is listened for:
 * core-sdk PollingService `initOAuthPolling`, react-sdk-lite AuthProvider), so the page closes
 * itself: after Continue once the SDK has the answer, after Cancel at once.
 */
export interface OAuthPageOptions {
  /** The provider's name as people know it: "Google", "X". */
  providerName: string;
  /** The app asking (the session's partner). */
  appName: string;
  /** The session lookup id from the SDK's URL (`sessionId`). */
  sessionId: string;
  /** Where Continue posts, and where Cancel and the delivery check go (same origin as the page). */
  action: string;
}

export function renderOAuthPage(options: OAuthPageOptions): string {
  const provider = escapeHtml(options.providerName);
  const config = { action: options.action, sessionId: options.sessionId, providerName: options.providerName };
  return portalPage({
    title: `Sign in with ${provider}`,
    style: `
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; }
  main { width: min(360px, calc(100vw - 32px)); display: grid; gap: 14px; }
  h1 { font-size: 20px; margin: 0; overflow-wrap: anywhere; }
  .buttons { display: flex; gap: 8px; }
  button { flex: 1; border: 1px solid #111; }
  button[type=button] { background: transparent; color: inherit; border-color: #8888; }`,
    body: `<main>
  <h1>Continue as <span id="who">…</span> with ${provider} (para-local)</h1>
  <p>${escapeHtml(options.appName)} asks ${provider} who you are. para-local stands in for ${provider}: type the email of the account.</p>
  <form id="consent-form" novalidate>
    <label>Email
      <input id="email" name="email" type="email" autocomplete="email" required>
    </label>
    <p role="alert" id="error"></p>
    <div class="buttons">
      <button type="button" id="cancel">Cancel</button>
      <button type="submit" id="continue">Continue</button>
    </div>
  </form>
  <p role="status" id="status"></p>
  <p class="note">para-local: a local stand-in for ${provider}'s sign-in and Para's portal.</p>
</main>`,
    config,
    script: PAGE_SCRIPT,
  });
}

/**
 * Runs in the page. Continue posts the email and then waits until the SDK's next poll of
 * `/users/verify-oauth` has taken the answer before closing: the SDK cancels when it finds the
 * popup closed after a poll that came back empty, and one answered just before the consent can
 * come back after the popup closed. Kept in plain ES2020 (no bundling).
 */
const PAGE_SCRIPT = `
(() => {
  const config = JSON.parse(document.getElementById("config").textContent);
  const form = document.getElementById("consent-form");
  const email = document.getElementById("email");
  const who = document.getElementById("who");
  const error = document.getElementById("error");
  const status = document.getElementById("status");
  const buttons = [document.getElementById("continue"), document.getElementById("cancel")];
  const post = (path, body) =>
    fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ sessionId: config.sessionId, ...body }) });
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const busy = (on) => buttons.forEach((button) => { button.disabled = on; });
  const close = () => {
    window.close();
    // Still here: the page was not opened by the app (a window only scripts opened may be closed).
    setTimeout(() => { status.textContent = "You can close this window."; }, 300);
  };

  email.addEventListener("input", () => { who.textContent = email.value.trim() || "…"; });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!email.value.trim()) return (error.textContent = "Enter an email address.");
    busy(true);
    error.textContent = "";
    try {
      const response = await post(config.action, { email: email.value });
      if (!response.ok) {
        error.textContent = (await response.text()) || "Something went wrong.";
        return busy(false);
      }
    } catch {
      error.textContent = "para-local is not reachable.";
      return busy(false);
    }
    form.hidden = true;
    status.textContent = "Signed in with " + config.providerName + ". Returning to the app…";
    const statusUrl = config.action + "/status?sessionId=" + encodeURIComponent(config.sessionId);
    for (const started = Date.now(); Date.now() - started < 60000; await sleep(250)) {
      try {
        const answer = await (await fetch(statusUrl)).json();
        if (answer.delivered) return close();
      } catch {}
    }
    status.textContent = "The app did not pick up the sign-in. You can close this window.";
  });

  document.getElementById("cancel").addEventListener("click", async () => {
    busy(true);
    try { await post(config.action + "/cancel", {}); } catch {}
    close();
  });
})();
`;
