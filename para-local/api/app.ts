import { Hono } from "hono";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../log.js";
import type { Store } from "../state.js";
import * as auth from "./auth.js";
import { type ApiEnv, fail, INVALID_API_KEY, plainTextError, SESSION_HEADER } from "./context.js";
import * as jwt from "./jwt.js";
import * as keyShares from "./key-shares.js";
import * as misc from "./misc.js";
import * as pregen from "./pregen.js";
import * as sessions from "./sessions.js";
import * as controls from "./test-controls.js";
import * as wallets from "./wallets.js";

const READ_ONLY = new Set(["GET", "HEAD", "OPTIONS"]);

/** Paths that answer without the partner's API key (they carry their own checks). */
const KEYLESS = [/^\/\.well-known\//, /^\/sessions\/verify$/, /^\/test\//, /^\/health$/];

/**
 * The para-local API (Para's `localhost:8080` in `Environment.DEV`). `latency.ms` is read on every
 * request, so whoever holds the object may change it while the API runs.
 */
export function createApi(
  store: Store,
  options: { testMode: boolean; log: Logger; afterWrite?: () => void; latency?: { ms: number } },
): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.use(async (c, next) => {
    const started = performance.now();
    const counted = !c.req.path.startsWith("/test/") && c.req.method !== "OPTIONS";
    if (counted) store.peakInFlight = Math.max(store.peakInFlight, ++store.inFlight);
    try {
      await next();
    } finally {
      if (counted) store.inFlight--;
    }
    options.log.request("api", c.req.method, c.req.path, c.res.status, performance.now() - started);
    if (!c.req.path.startsWith("/test/") && c.req.method !== "OPTIONS") {
      const keyHeaders = ["x-external-api-key", "x-partner-id"].filter((name) => c.req.header(name) !== undefined);
      store.recordRequest({ method: c.req.method, path: c.req.path, status: c.res.status, keyHeaders });
    }
    if (!READ_ONLY.has(c.req.method)) options.afterWrite?.();
  });
  // Para's network round trip (`--latency`), on every answer but the test controls', which are no part of Para.
  app.use(async (c, next) => {
    const wait = c.req.path.startsWith("/test/") ? 0 : (options.latency?.ms ?? 0);
    if (wait > 0) await sleep(wait);
    await next();
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
  // Either partner's key; the route answers for that partner (`c.get("partner")`).
  app.use(async (c, next) => {
    c.set("store", store);
    c.set("testMode", options.testMode);
    if (!KEYLESS.some((pattern) => pattern.test(c.req.path))) {
      const partner = store.partnerByApiKey(c.req.header("x-external-api-key"));
      if (!partner) fail(403, INVALID_API_KEY);
      c.set("partner", partner);
    }
    await next();
  });

  // A test control can make a route answer late (`/test/delay`).
  app.use(async (c, next) => {
    const wait = c.get("testMode") ? store.takeDelay(c.req.method, c.req.path) : 0;
    if (wait > 0) await sleep(wait);
    await next();
  });

  // ... or answer an error instead of the route (`/test/faults`): after the key check and the delay, as Para's own failures come.
  app.use(async (c, next) => {
    const fault = c.get("testMode") && !c.req.path.startsWith("/test/") ? store.takeFault(c.req.method, c.req.path) : undefined;
    if (fault) return plainTextError(fault.status, fault.message);
    await next();
  });

  // Every route, in one table. Sessions:
  app.get("/health", (c) => c.json({ ok: true }));
  app.post("/touch", ...sessions.touch);
  app.get("/partners/:partnerId", ...sessions.getPartner);
  app.get("/logout", ...sessions.logout);
  app.post("/users/:userId/session/keep-alive", ...sessions.keepAlive);
  app.post("/sessions/verify", ...sessions.verifySession);
  // Sign-up and log-in:
  app.post("/users/init", ...auth.initUser);
  app.post("/users/verify-oauth", ...auth.verifyOAuth);
  app.post("/users/:userId/verify", ...auth.verifyUser);
  app.post("/users/:userId/resend-verification-code", ...auth.resendCode);
  app.get("/users/supported-auth-methods/v2", ...auth.supportedAuthMethods);
  app.post("/users/:userId/passwords/key", ...auth.reservePassword);
  app.get("/users/passwords", ...auth.listPasswords);
  // Where a new wallet's shares go:
  app.get("/users/:userId/biometrics/keys", ...keyShares.listBiometricKeys);
  app.get("/users/:userId/recovery-public-keys", ...keyShares.listRecoveryKeys);
  app.post("/users/:userId/recovery-public-keys", ...keyShares.addRecoveryKeys);
  app.post("/users/:userId/key-shares", ...keyShares.uploadKeyShares);
  app.post("/users/:userId/wallets/:walletId/capsule-share/distribute", ...keyShares.distributeParaShare);
  app.get("/users/:userId/temporary-shares", ...keyShares.listTemporaryShares);
  // Wallets, keygen and signing:
  app.post("/users/:userId/wallets", ...wallets.createWallet);
  app.get("/users/:userId/wallets", ...wallets.listWallets);
  app.post("/local/wallets/:walletId/public-key", ...wallets.reportPublicKey);
  app.post("/users/:signerId/wallets/:walletId/messages/sign", ...wallets.authoriseMessage);
  app.post("/users/:signerId/wallets/:walletId/transactions/sign", ...wallets.authoriseTransaction);
  // Pregenerated wallets:
  app.post("/wallets/pregen", ...pregen.createPregenWallet);
  app.get("/wallets/pregen", ...pregen.findPregenWallets);
  app.patch("/wallets/pregen/:walletId", ...pregen.updatePregenWallet);
  // JWTs:
  app.get("/.well-known/jwks.json", ...jwt.jwks);
  app.post("/auth/jwt", ...jwt.issueJwt);
  // The browser SDK's side calls:
  app.get("/assets", ...misc.listAssets);
  app.get("/on-ramp-config", ...misc.onRampConfig);
  app.post("/assets/balances", ...misc.getBalances);
  app.post("/partners/analytics/react-sdk", ...misc.dropTelemetry);
  app.post("/errors/sdk", ...misc.dropTelemetry);

  if (options.testMode) {
    app.post("/test/reset", ...controls.reset);
    app.post("/test/sessions", ...controls.mintSession);
    app.post("/test/sessions/expire", ...controls.expireSessions);
    app.post("/test/sessions/false-negative", ...controls.answerFalseNegatives);
    app.post("/test/session-length", ...controls.setSessionLength);
    app.post("/test/clock", ...controls.advanceClock);
    app.post("/test/jwt/rotate", ...controls.rotateJwtKey);
    app.post("/test/jwt/sign", ...controls.signJwtClaims);
    app.post("/test/signatures/fail", ...controls.failSignatures);
    app.post("/test/signatures/hold", ...controls.holdSignature);
    app.post("/test/delay", ...controls.delayRequests);
    app.post("/test/faults", ...controls.injectFaults);
    app.post("/test/keep-alive/mode", ...controls.setKeepAliveMode);
    app.post("/test/keep-alive/limit", ...controls.limitKeepAlive);
  }

  app.notFound((c) => c.text(`no route for ${c.req.method} ${c.req.path}`, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    options.log.error(`api ${c.req.method} ${c.req.path}`, error);
    return c.text("internal error", 500);
  });
  return app;
}
