import { randomUUID } from "node:crypto";
import { z } from "zod";
import { type AuthType, normaliseEmail, type PasswordCredential, type Store, type User } from "../state.js";
import { type ApiContext, currentSession, ensureSession, factory, fail, jsonBody, requireAuthenticated } from "./context.js";

/**
 * Sign-up and log-in with email or phone (or an OAuth provider vouching for an email, see
 * `oauth.ts`), as the browser SDK's modal drives them:
 * `POST /users/init` → (new user) `POST /users/:id/verify` with any 6-digit code →
 * `POST /users/:id/passwords/key` → the portal's password page completes the credential
 * and authenticates the session (see `passwords.ts`). An existing user goes straight to
 * the portal's password login page.
 *
 * Only PASSWORD is offered: with BASIC_LOGIN the modal moves the OTP into a portal page,
 * and passkeys need an authenticator a headless browser does not have.
 */
const AUTH_METHODS = ["PASSWORD"] as const;
const E164 = /^\+[1-9]\d{6,14}$/;

interface ParsedAuth {
  authType: AuthType;
  identifier: string;
}

/** `{email}`, `{phone: "+…"}` or the legacy `{phone, countryCode}`; `parseAuth` normalises and checks them. */
const authBody = z.object({ email: z.string().optional(), phone: z.string().optional(), countryCode: z.string().optional() });

/** `POST /users/init`: the first step of sign-up or log-in. */
export const initUser = factory.createHandlers(jsonBody(authBody), (c) => {
  const store = c.get("store");
  const { authType, identifier } = parseAuth(c.req.valid("json"));
  const user = store.findUserByIdentifier(authType, identifier) ?? store.createUser(authType, identifier);
  if (completedPassword(store, user)) {
    // The SDK signs out, starts a new session and opens the portal's password login page.
    return c.json({ stage: "login", ...identity(user), loginAuthMethods: AUTH_METHODS, hasPasswordWithoutPIN: true });
  }
  // New (or never finished): a code is "sent"; the session that asked is the one that may verify it.
  const session = ensureSession(c);
  session.userId = user.id;
  session.authenticated = false;
  session.oAuth = undefined;
  return c.json({ stage: "verify", nextStage: "signup", ...identity(user), signupAuthMethods: AUTH_METHODS });
});

/**
 * `POST /users/verify-oauth` (no body): the SDK asks every second, for up to 300 s, whether the
 * provider has answered for its session (core-sdk PollingService `waitForOAuth`). It finishes on
 * an answer with a `stage` (`isServerAuthState`), so until the portal's consent page has been
 * answered, and after a refusal, it gets `{}`. Then: `signup` for a user without a password (the
 * password page follows, as after an email code), `login` for one with (the password login page).
 */
export const verifyOAuth = factory.createHandlers((c) => {
  const store = c.get("store");
  const session = currentSession(c);
  const user = session?.oAuth?.outcome === "consented" && session.userId ? store.users.get(session.userId) : undefined;
  if (!session?.oAuth || !user) return c.json({});
  session.oAuth.delivered = true;
  if (completedPassword(store, user)) {
    return c.json({ stage: "login", ...identity(user), loginAuthMethods: AUTH_METHODS, hasPasswordWithoutPIN: true });
  }
  return c.json({ stage: "signup", ...identity(user), signupAuthMethods: AUTH_METHODS });
});

/** `POST /users/:userId/verify`: any six digits pass, as with Para's test accounts on BETA. */
export const verifyUser = factory.createHandlers(
  jsonBody(z.object({ verificationCode: z.string().regex(/^\d{6}$/, "verification code must be 6 digits") })),
  (c) => {
    const user = requirePendingUser(c);
    user.verified = true;
    return c.json({ stage: "signup", ...identity(user), signupAuthMethods: AUTH_METHODS });
  },
);

/** `POST /users/:userId/resend-verification-code` */
export const resendCode = factory.createHandlers(jsonBody(z.object({ type: z.enum(["EMAIL", "PHONE"]).optional() })), (c) => {
  requirePendingUser(c);
  return c.json({});
});

/** `GET /users/supported-auth-methods/v2?email=…` */
export const supportedAuthMethods = factory.createHandlers((c) => {
  const store = c.get("store");
  const { authType, identifier } = parseAuth(c.req.query());
  const user = store.findUserByIdentifier(authType, identifier);
  const hasPassword = !!user && !!completedPassword(store, user);
  return c.json({ supportedAuthMethods: hasPassword ? ["PASSWORD"] : [], hasPasswordWithoutPIN: hasPassword });
});

/** The SDK reserves a password id; the portal's password page (same id in its path) completes it. */
export const reservePassword = factory.createHandlers(jsonBody(z.object({ status: z.literal("PENDING") })), (c) => {
  const store = c.get("store");
  const user = requirePendingUser(c);
  if (!user.verified) fail(403, "verify the account before adding a password");
  if (completedPassword(store, user)) fail(409, "A user cannot have more than one password or PIN.");
  const credential: PasswordCredential = { id: randomUUID(), userId: user.id, status: "PENDING", createdAt: store.now() };
  store.passwords.set(credential.id, credential);
  user.passwordId = credential.id;
  return c.json({ id: credential.id });
});

/** The SDK encrypts each new wallet's share to every completed password's public key. */
export const listPasswords = factory.createHandlers((c) => {
  const store = c.get("store");
  const userId = c.req.query("userId");
  if (!userId) fail(400, "userId is required");
  requireAuthenticated(c, userId);
  const passwords = [...store.passwords.values()]
    .filter((p) => p.userId === userId)
    .map((p) => ({ id: p.id, status: p.status, sigDerivedPublicKey: p.secret?.publicKeyHex }));
  return c.json({ passwords });
});

/** `{email}` or `{phone: "+…"}` (or the legacy `{phone, countryCode}`), normalised; anything else is a 400. */
function parseAuth(body: { email?: string; phone?: string; countryCode?: string }): ParsedAuth {
  const { email, phone, countryCode } = body;
  if (typeof email === "string" && email !== "") {
    const identifier = normaliseEmail(email);
    if (!identifier) fail(400, "invalid email address");
    return { authType: "email", identifier };
  }
  if (typeof phone === "string" && phone !== "") {
    const prefix = countryCode ? `+${countryCode.replace(/^\+/, "")}` : "";
    const identifier = `${prefix}${phone}`.replace(/[\s().-]/g, "");
    if (!E164.test(identifier)) fail(400, "invalid phone number: use E.164, e.g. +15555550123");
    return { authType: "phone", identifier };
  }
  fail(400, "email or phone is required");
}

function identity(user: User) {
  return { userId: user.id, auth: user.authType === "email" ? { email: user.identifier } : { phone: user.identifier } };
}

function completedPassword(store: Store, user: User): PasswordCredential | undefined {
  return [...store.passwords.values()].find((p) => p.userId === user.id && p.status === "COMPLETE");
}

/** The user of the path, when the request's session is the one that started their sign-up. */
function requirePendingUser(c: ApiContext): User {
  const user = c.get("store").users.get(c.req.param("userId") ?? "");
  if (!user) fail(404, "user not found");
  if (currentSession(c)?.userId !== user.id) fail(403, "this session did not start a sign-up for that user");
  return user;
}
