import { z } from "zod";
import { type KeepAliveLimitStatus, oAuthMethodOf, type Session } from "../state.js";
import { currentSession, ensureSession, factory, fail, jsonBody, requireAuthenticated, SESSION_HEADER, text } from "./context.js";

// Sessions: `/touch`, logout, keep-alive, partner lookup and `/sessions/verify`.

/** `POST /touch`: the session's state; creates an anonymous session when there is none. */
export const touch = factory.createHandlers((c) => {
  const store = c.get("store");
  const session = ensureSession(c);
  if (c.req.query("regenerate") === "true") {
    // A new cookie for the same sign-in state, as Para rotates it.
    store.sessions.delete(session.cookie);
    session.cookie = store.createSession(session.partnerId).cookie;
    store.sessions.set(session.cookie, session);
    c.header(SESSION_HEADER, store.cookieHeader(session));
  }
  // The session's partner, not the caller's: that is how an app sees a session of another app.
  const partnerOf = (shown: Session) => {
    const partner = store.partnerById(shown.partnerId) ?? store.partner;
    return { partnerId: partner.id, supportedWalletTypes: partner.supportedWalletTypes, cosmosPrefix: partner.cosmosPrefix };
  };
  // A test control can make Para answer "not signed in" for a live session (see /test/sessions/false-negative).
  const falseNegative = session.userId ? store.falseNegatives.get(session.userId) : undefined;
  if (session.authenticated && falseNegative && falseNegative.remaining > 0) {
    falseNegative.remaining -= 1;
    // As when Para does not recognise a cookie: a new anonymous session, whose cookie replaces the SDK's; the real one lives on.
    const shown = falseNegative.newCookie ? store.createSession(c.get("partner").id) : session;
    if (shown !== session) c.header(SESSION_HEADER, store.cookieHeader(shown));
    return c.json({ sessionId: shown.id, sessionLookupId: shown.lookupId, isAuthenticated: false, ...partnerOf(shown) });
  }
  // As Para does, the session carries the user's wallet selection: the SDK takes it as is
  // (the browser SDK needs it to list its one DKLS wallet under EVM as well as COSMOS).
  const walletIds =
    session.authenticated && session.userId ? (session.currentWalletIds ?? store.currentWalletIdsOf(session.userId)) : undefined;
  const hasWallets = !!walletIds && Object.keys(walletIds).length > 0;
  return c.json({
    sessionId: session.id,
    sessionLookupId: session.lookupId,
    userId: session.authenticated ? session.userId : undefined,
    isAuthenticated: session.authenticated,
    ...partnerOf(session),
    currentWalletIds: hasWallets ? walletIds : undefined,
    needsWallet: session.authenticated && !hasWallets,
    isEnclaveUser: false,
  });
});

/** `GET /partners/:partnerId` */
export const getPartner = factory.createHandlers((c) => {
  const partner = c.get("store").partnerById(c.req.param("partnerId"));
  if (!partner) fail(404, "partner not found");
  return c.json({
    partner: {
      id: partner.id,
      displayName: partner.displayName,
      supportedWalletTypes: partner.supportedWalletTypes,
      cosmosPrefix: partner.cosmosPrefix,
      supportedAuthMethods: ["PASSWORD"],
      supportedAccountLinks: [],
      themeConfig: {},
    },
  });
});

/** `GET /logout` */
export const logout = factory.createHandlers((c) => {
  const session = currentSession(c);
  if (session) c.get("store").sessions.delete(session.cookie);
  return c.json({});
});

/** What a used-up keep-alive limit answers (`/test/keep-alive/limit`), by status. */
const LIMIT_MESSAGES: Record<KeepAliveLimitStatus, string> = {
  401: "session expired or not signed in",
  403: "forbidden",
  429: "too many requests",
  500: "internal error",
  503: "service unavailable",
};

/**
 * `POST /users/:userId/session/keep-alive`. The SDK reads only the status (any error is `false`);
 * the new end reaches it in the cookie's `Expires`. Test controls can limit the calls and change
 * the answer (`/test/keep-alive/limit`, `/test/keep-alive/mode`), as teams saw Para's vary.
 */
export const keepAlive = factory.createHandlers((c) => {
  const store = c.get("store");
  if (!store.admitKeepAlive()) {
    const status = store.keepAliveLimit!.status;
    fail(status, LIMIT_MESSAGES[status]);
  }
  const session = requireAuthenticated(c, c.req.param("userId"));
  const mode = store.keepAliveMode;
  const before = session.expiresAt;
  if (mode !== "ignore") store.extendSession(session);
  // `ignore` re-sends the unchanged cookie: from outside it looks like `stale` until the old end passes.
  if (mode === "renew" || mode === "ignore") c.header(SESSION_HEADER, store.cookieHeader(session));
  if (mode === "stale") c.header(SESSION_HEADER, store.cookieHeader(session, before));
  // Only `renew` tells the truth about the new end; the others say nothing beyond their cookie.
  return c.json(mode === "renew" ? { expiresAt: new Date(session.expiresAt).toISOString() } : {});
});

/**
 * Para's server-side check of a verification token: 200 with the identity (and `oAuthMethod` for a
 * session signed in with Google, X, …), 403 once the session is gone.
 */
export const verifySession = factory.createHandlers(
  async (c, next) => {
    // The partner's key first: a caller without one learns nothing about what the body should hold.
    const store = c.get("store");
    const partner = store.partnerByAnyKey(c.req.header("x-partner-id") ?? c.req.header("x-external-api-key"));
    if (!partner) fail(401, "missing or unknown partner key");
    c.set("partner", partner);
    await next();
  },
  jsonBody(z.object({ verificationToken: text() })),
  (c) => {
    const store = c.get("store");
    const token = c.req.valid("json").verificationToken;
    const session = store.findSessionByLookupId(token);
    // Another app's session is answered as an unknown one: Para's docs do not say, and it tells that app's caller nothing.
    const ours = session?.partnerId === c.get("partner").id;
    const user = ours && session.authenticated && session.userId ? store.users.get(session.userId) : undefined;
    if (!session || !user) fail(403, "session expired or invalid");
    // Para's docs show `oAuthMethod` only "if applicable": an email or phone session has none (not null).
    const oAuthMethod = oAuthMethodOf(session);
    return c.json({ authType: user.authType, identifier: user.identifier, ...(oAuthMethod && { oAuthMethod }) });
  },
);
