import { Hono } from "hono";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import type { Store } from "../state.js";
import type { Logger } from "../log.js";
import { authRoutes } from "./auth.js";
import { type ApiEnv, fail, SESSION_HEADER } from "./context.js";
import { jwtRoutes } from "./jwt.js";
import { miscRoutes } from "./misc.js";
import { sessionRoutes } from "./sessions.js";
import { testControlRoutes } from "./test-controls.js";
import { walletRoutes } from "./wallets.js";

const READ_ONLY = new Set(["GET", "HEAD", "OPTIONS"]);

/** Paths that answer without the partner's API key (they carry their own checks). */
const KEYLESS = [/^\/\.well-known\//, /^\/sessions\/verify$/, /^\/test\//, /^\/health$/];

/** The para-local API (Para's `localhost:8080` in `Environment.DEV`). */
export function createApi(store: Store, options: { testMode: boolean; log: Logger; afterWrite?: () => void }): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    options.log.request("api", c.req.method, c.req.path, c.res.status, performance.now() - started);
    if (!c.req.path.startsWith("/test/") && c.req.method !== "OPTIONS") {
      const keyHeaders = ["x-external-api-key", "x-partner-id"].filter((name) => c.req.header(name) !== undefined);
      store.recordRequest({ method: c.req.method, path: c.req.path, status: c.res.status, keyHeaders });
    }
    if (!READ_ONLY.has(c.req.method)) options.afterWrite?.();
  });
  app.use(
    cors({
      origin: (origin) => origin,
      credentials: true,
      allowHeaders: ["x-external-api-key", SESSION_HEADER, "x-para-version", "content-type", "x-partner-id", "x-partner-config-override"],
      allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
      exposeHeaders: [SESSION_HEADER],
      maxAge: 600,
    }),
  );
  app.use(async (c, next) => {
    c.set("store", store);
    c.set("testMode", options.testMode);
    if (!KEYLESS.some((pattern) => pattern.test(c.req.path)) && c.req.header("x-external-api-key") !== store.partner.apiKey) {
      fail(403, "invalid API key");
    }
    await next();
  });

  app.get("/health", (c) => c.json({ ok: true }));
  app.route("/", sessionRoutes);
  app.route("/", authRoutes);
  app.route("/", walletRoutes);
  app.route("/", jwtRoutes);
  app.route("/", miscRoutes);
  if (options.testMode) app.route("/test", testControlRoutes);

  app.notFound((c) => c.text(`no route for ${c.req.method} ${c.req.path}`, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    options.log.error(`api ${c.req.method} ${c.req.path}`, error);
    return c.text("internal error", 500);
  });
  return app;
}
