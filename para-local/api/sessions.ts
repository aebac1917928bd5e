import { z } from "zod";
import { currentSession, ensureSession, factory, fail, jsonBody, requireAuthenticated, SESSION_HEADER, text } from "./context.js";

// Sessions: `/touch`, logout, keep-alive, partner lookup and `/sessions/verify`.

/** `POST /touch`: the session's state; creates an anonymous session when there is none. */
export const touch = factory.createHandlers((c) => {
  const store = c.get("store");
  const session = ensureSession(c);
  if (c.req.query("regenerate") === "true") {
    // A new cookie for the same sign-in state, as Para rotates it.
    store.sessions.delete(session.cookie);
    session.cookie = store.createSession().cookie;
    store.sessions.set(session.cookie, session);
    c.header(SESSION_HEADER, store.cookieHeader(session));
  }
  const { partner } = store;
  // A test control can make Para answer "not signed in" for a live session (see /test/sessions/false-negative).
  const pending = session.userId ? (store.falseNegatives.get(session.userId) ?? 0) : 0;
  if (session.authenticated && pending > 0) {
    store.falseNegatives.set(session.userId!, pending - 1);
    return c.json({
      sessionId: session.id,
      sessionLookupId: session.lookupId,
      partnerId: partner.id,
      isAuthenticated: false,
      supportedWalletTypes: partner.supportedWalletTypes,
      cosmosPrefix: partner.cosmosPrefix,
    });
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
    partnerId: partner.id,
    isAuthenticated: session.authenticated,
    supportedWalletTypes: partner.supportedWalletTypes,
    cosmosPrefix: partner.cosmosPrefix,
    currentWalletIds: hasWallets ? walletIds : undefined,
    needsWallet: session.authenticated && !hasWallets,
    isEnclaveUser: false,
  });
});

/** `GET /partners/:partnerId` */
export const getPartner = factory.createHandlers((c) => {
  const { partner } = c.get("store");
  if (c.req.param("partnerId") !== partner.id) fail(404, "partner not found");
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

/** `POST /users/:userId/session/keep-alive` */
export const keepAlive = factory.createHandlers((c) => {
  const session = requireAuthenticated(c, c.req.param("userId"));
  const store = c.get("store");
  store.extendSession(session);
  // The new expiry reaches the SDK in the cookie, as from Para.
  c.header(SESSION_HEADER, store.cookieHeader(session));
  return c.json({ expiresAt: new Date(session.expiresAt).toISOString() });
});

/** Para's server-side check of a verification token: 200 with the identity, 403 once the session is gone. */
export const verifySession = factory.createHandlers(
  async (c, next) => {
    // The partner's key first: a caller without one learns nothing about what the body should hold.
    const store = c.get("store");
    const key = c.req.header("x-partner-id") ?? c.req.header("x-external-api-key");
    if (key !== store.partner.apiKey && key !== store.partner.secretKey) fail(401, "missing or unknown partner key");
    await next();
  },
  jsonBody(z.object({ verificationToken: text() })),
  (c) => {
    const store = c.get("store");
    const token = c.req.valid("json").verificationToken;
    const session = store.findSessionByLookupId(token);
    const user = session?.authenticated && session.userId ? store.users.get(session.userId) : undefined;
    if (!user) fail(403, "session expired or invalid");
    return c.json({ authType: user.authType, identifier: user.identifier });
  },
);
