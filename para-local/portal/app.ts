import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type Context, Hono } from "hono";
import type { Logger } from "../log.js";
import { completePassword, MIN_PASSWORD_LENGTH, type PasswordResult, signInWithPassword } from "../passwords.js";
import type { Store } from "../state.js";
import { isWorkerBundle, workerBundle } from "../workers/bundles.js";
import { renderPasswordPage } from "./password-page.js";

/**
 * The RSA prime-search worker node-forge runs while the SDK makes its one-time login key.
 * It ships in `@getpara/web-sdk`; anything else at this URL (an HTML 404) hangs sign-up.
 */
const PRIME_WORKER = join(
  dirname(createRequire(import.meta.url).resolve("@getpara/web-sdk/package.json")),
  "dist/cryptography/scripts/prime.worker.min.js",
);

/** The para-local portal (Para's `localhost:3003` in `Environment.DEV`): worker bundles and the pages the modal embeds. */
export function createPortal({ log, store, afterWrite }: { log: Logger; store: Store; afterWrite?: () => void }): Hono {
  const app = new Hono();
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    log.request("portal", c.req.method, c.req.path, c.res.status, performance.now() - started);
    if (c.req.method === "POST") afterWrite?.();
  });

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

  app.notFound((c) => c.text(`no route for ${c.req.method} ${c.req.path}`, 404));
  app.onError((error, c) => {
    log.error(`portal ${c.req.method} ${c.req.path}`, error);
    return c.text("internal error", 500);
  });
  return app;
}

/**
 * A password form post from the portal's own page: same origin only (a page elsewhere
 * must not set or try passwords), a JSON object of strings. Otherwise the error response.
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

function answer(c: Context, result: PasswordResult): Response {
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
