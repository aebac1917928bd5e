import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type Context, Hono } from "hono";
import type { Logger } from "../log.js";
import { consentToOAuth, OAUTH_PROVIDERS, type OAuthResult, oAuthDelivered, pendingOAuthSession, refuseOAuth } from "../oauth.js";
import { completePassword, MIN_PASSWORD_LENGTH, type PasswordResult, signInWithPassword } from "../passwords.js";
import type { Store } from "../state.js";
import { isWorkerBundle, workerBundle } from "../workers/bundles.js";
import { renderOAuthPage } from "./oauth-page.js";
import { renderPasswordPage } from "./password-page.js";

/**
 * The RSA prime-search worker node-forge runs while the SDK makes its one-time login key.
 * It ships in `@getpara/web-sdk`; anything else at this URL (an HTML 404) hangs sign-up.
 */
const PRIME_WORKER = join(
  dirname(createRequire(import.meta.url).resolve("@getpara/web-sdk/package.json")),
  "dist/cryptography/scripts/prime.worker.min.js",
);

/**
 * The para-local portal (Para's `localhost:3003` in `Environment.DEV`): worker bundles, the pages
 * the modal embeds (passwords) and the one it opens in a popup (OAuth consent, standing in for the provider).
 */
export function createPortal({ log, store, afterWrite }: { log: Logger; store: Store; afterWrite?: () => void }): Hono {
  const app = new Hono();
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    log.request("portal", c.req.method, c.req.path, c.res.status, performance.now() - started);
    if (c.req.method === "POST") afterWrite?.();
  });

  // Asked for by every top-level page (the OAuth popup): no icon, and no 404 in the console.
  app.get("/favicon.ico", (c) => c.body(null, 204));

  app.get("/static/js/prime.worker.min.js", async (c) => {
    c.header("access-control-allow-origin", "*");
    c.header("content-type", "application/javascript; charset=utf-8");
    return c.body(await readFile(PRIME_WORKER, "utf8"));
  });

  app.get("/static/js/:file", async (c) => {
    const file = c.req.param("file");
    if (!isWorkerBundle(file)) return c.text("not found", 404);
    c.header("access-control-allow-origin", "*");
    c.header("content-type", "application/javascript; charset=utf-8");
    return c.body(await workerBundle(file));
  });

  // Sign-up: the SDK reserved the password id; the user chooses the password here.
  app.get("/web/users/:userId/passwords/:passwordId", (c) => {
    const { userId, passwordId } = c.req.param();
    const user = store.users.get(userId);
    if (!user || store.passwords.get(passwordId)?.userId !== userId) return c.text("This password link is not valid.", 404);
    return c.html(
      renderPasswordPage({
        mode: "create",
        action: `/web/users/${encodeURIComponent(userId)}/passwords/${encodeURIComponent(passwordId)}`,
        identifier: user.identifier,
        parentOrigin: parentOrigin(c.req.query("origin")),
        minLength: MIN_PASSWORD_LENGTH,
      }),
    );
  });

  app.post("/web/users/:userId/passwords/:passwordId", async (c) => {
    const body = await readPortalForm(c);
    if (body instanceof Response) return body;
    const { userId, passwordId } = c.req.param();
    return answer(c, completePassword(store, userId, passwordId, body.password ?? ""));
  });

  // Log-in: the SDK's login URL names its session (`sessionId` is the lookup id) and its one-time device key.
  app.get("/web/passwords/login", (c) => {
    const { sessionId, encryptionKey, userId } = c.req.query();
    if (!sessionId || !encryptionKey || !userId) return c.text("This login link is missing sessionId, encryptionKey or userId.", 400);
    const user = store.users.get(userId);
    if (!user) return c.text("This login link is not valid.", 404);
    return c.html(
      renderPasswordPage({
        mode: "login",
        action: "/web/passwords/login",
        identifier: user.identifier,
        fields: { userId, sessionId, encryptionKey },
        parentOrigin: parentOrigin(c.req.query("origin")),
        minLength: 1,
      }),
    );
  });

  app.post("/web/passwords/login", async (c) => {
    const body = await readPortalForm(c);
    if (body instanceof Response) return body;
    const { userId, sessionId, encryptionKey, password } = body;
    if (!userId || !sessionId || !encryptionKey || !password)
      return c.text("userId, sessionId, encryptionKey and password are required", 400);
    return answer(c, signInWithPassword(store, { userId, sessionLookupId: sessionId, encryptionKey, password }));
  });

  // OAuth: the modal's popup lands here instead of at Google, X, … (`/auth/<the SDK's method, lower-cased>?sessionId=<lookup id>&…`).
  app.get("/auth/:provider", (c) => {
    const provider = OAUTH_PROVIDERS.get(c.req.param("provider"));
    if (!provider) return c.text(`para-local has no sign-in with ${c.req.param("provider")}.`, 404);
    const sessionId = c.req.query("sessionId");
    if (!sessionId) return c.text("This sign-in link is missing sessionId.", 400);
    const pending = pendingOAuthSession(store, sessionId);
    if (!pending.ok) return c.text(pending.message, pending.status);
    return c.html(
      renderOAuthPage({
        providerName: provider.name,
        appName: store.partnerById(pending.session.partnerId)?.displayName ?? "An app",
        sessionId,
        action: `/auth/${c.req.param("provider")}`,
      }),
    );
  });

  app.post("/auth/:provider", async (c) => {
    const provider = OAUTH_PROVIDERS.get(c.req.param("provider"));
    const body = await readPortalForm(c);
    if (body instanceof Response) return body;
    if (!provider || !body.sessionId || !body.email) return c.text("sessionId and email are required", 400);
    return answer(c, consentToOAuth(store, { method: provider.method, sessionLookupId: body.sessionId, email: body.email }));
  });

  app.post("/auth/:provider/cancel", async (c) => {
    const provider = OAUTH_PROVIDERS.get(c.req.param("provider"));
    const body = await readPortalForm(c);
    if (body instanceof Response) return body;
    if (!provider || !body.sessionId) return c.text("sessionId is required", 400);
    return answer(c, refuseOAuth(store, { method: provider.method, sessionLookupId: body.sessionId }));
  });

  // The consent page closes once the SDK has the answer (see oauth.ts, `oAuthDelivered`).
  app.get("/auth/:provider/status", (c) => c.json({ delivered: oAuthDelivered(store, c.req.query("sessionId") ?? "") }));

  app.notFound((c) => c.text(`no route for ${c.req.method} ${c.req.path}`, 404));
  app.onError((error, c) => {
    log.error(`portal ${c.req.method} ${c.req.path}`, error);
    return c.text("internal error", 500);
  });
  return app;
}

/**
 * A form post from the portal's own page (password, OAuth consent): same origin only (a page
 * elsewhere must not set or try passwords, or answer for a user), a JSON object of strings.
 * Otherwise the error response.
 */
async function readPortalForm(c: Context): Promise<Record<string, string> | Response> {
  if (c.req.header("origin") !== new URL(c.req.url).origin) return c.text("cross-origin form posts are refused", 403);
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return c.text("request body must be JSON", 400);
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) return c.text("request body must be a JSON object", 400);
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value !== "string") return c.text(`${key} must be a string`, 400);
    fields[key] = value;
  }
  return fields;
}

function answer(c: Context, result: PasswordResult | OAuthResult): Response {
  return result.ok ? c.text("ok") : c.text(result.message, result.status);
}

/** The app origin the SDK put in the URL, if it is one; the page's messages go only there. */
function parentOrigin(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
