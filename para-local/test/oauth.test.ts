// Sign-up and log-in with an OAuth provider over HTTP, as the browser SDK's modal and para-local's
// consent page (standing in for Google, X, …) drive them; the real modal runs them in
// e2e/oauth.spec.ts. Then the provider in Para's answers: the JWT's `data.oAuthMethod` and
// `/sessions/verify`'s `oAuthMethod`.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { API_URL, api, importedParaServer, mintSession, PARTNER_ID, quietSdkLogs, verifyToken } from "../testing/index.js";

quietSdkLogs();

const PORTAL_URL = "http://localhost:3003";
const PASSWORD = "correct horse battery";
const jwks = createRemoteJWKSet(new URL(`${API_URL}/.well-known/jwks.json`));

/** A form post from the portal's own page (or from `origin`). */
async function portal(path: string, body: unknown, origin = PORTAL_URL) {
  const response = await fetch(`${PORTAL_URL}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

async function json<T = Record<string, unknown>>(answer: Promise<{ status: number; text: string }>): Promise<T> {
  const { status, text } = await answer;
  expect(status, text).toBe(200);
  return JSON.parse(text) as T;
}

/**
 * What the modal's OAuth button does before it points the popup at the portal: `prepareLogin()`
 * (core-sdk AuthService) signs out and starts a new session, whose lookup id is the URL's `sessionId`.
 */
async function prepareLogin(): Promise<{ cookie: string; sessionId: string }> {
  const first = await api("POST", "/touch");
  await api("GET", "/logout", { cookie: first.sessionHeader! });
  const regenerated = await api("POST", "/touch?regenerate=true", { cookie: first.sessionHeader! });
  const cookie = regenerated.sessionHeader!;
  const { sessionLookupId } = JSON.parse(regenerated.text) as { sessionLookupId: string };
  return { cookie, sessionId: sessionLookupId };
}

const verifyOAuth = (cookie: string) => json(api("POST", "/users/verify-oauth", { cookie }));
const delivered = async (provider: string, sessionId: string) =>
  ((await (await fetch(`${PORTAL_URL}/auth/${provider}/status?sessionId=${sessionId}`)).json()) as { delivered: boolean }).delivered;

/** After `signup`: the SDK reserves a password and the portal's password page sets it, which signs the session in. */
async function setPassword(cookie: string, userId: string): Promise<void> {
  const { id } = await json<{ id: string }>(api("POST", `/users/${userId}/passwords/key`, { cookie, body: { status: "PENDING" } }));
  expect(await portal(`/web/users/${userId}/passwords/${id}`, { password: PASSWORD })).toEqual({ status: 200, text: "ok" });
}

async function signUpWithOAuth(provider: string, email: string) {
  const { cookie, sessionId } = await prepareLogin();
  expect(await portal(`/auth/${provider}`, { sessionId, email })).toEqual({ status: 200, text: "ok" });
  const state = await verifyOAuth(cookie);
  expect(state.stage).toBe("signup");
  await setPassword(cookie, state.userId as string);
  return { cookie, sessionId, userId: state.userId as string };
}

async function claimsOf(cookie: string) {
  const { token } = await json<{ token: string }>(api("POST", "/auth/jwt", { cookie, body: {} }));
  return (await jwtVerify(token, jwks, { audience: PARTNER_ID })).payload.data as Record<string, unknown>;
}

describe("/users/verify-oauth and the consent page", () => {
  it("answers {} until the user consents, then signup for a new user, who signs up with a password", async () => {
    const email = `Google.User-${randomUUID()}@Example.com`;
    const { cookie, sessionId } = await prepareLogin();
    expect(await verifyOAuth(cookie)).toEqual({});

    // The SDK's URL: /auth/<method lower-cased>?apiKey&origin&partnerId&sessionId&encryptionKey… (PortalUrlService).
    const page = await fetch(`${PORTAL_URL}/auth/google?apiKey=para-local-key&origin=http%3A%2F%2Flocalhost%3A3100&sessionId=${sessionId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("with Google (para-local)");
    expect(html).toContain("Para Server Sessions (para-local) asks Google who you are");
    expect(await verifyOAuth(cookie)).toEqual({});

    expect(await portal("/auth/google", { sessionId, email })).toEqual({ status: 200, text: "ok" });
    // The page waits for the SDK to take the answer before it closes the popup.
    expect(await delivered("google", sessionId)).toBe(false);
    const state = await verifyOAuth(cookie);
    expect(state).toEqual({
      stage: "signup",
      userId: expect.any(String),
      auth: { email: email.toLowerCase() },
      signupAuthMethods: ["PASSWORD"],
    });
    expect(await delivered("google", sessionId)).toBe(true);
    // Asked again, it says the same.
    expect(await verifyOAuth(cookie)).toEqual(state);
    // Not signed in until the password is set, as after an email code.
    expect(await json(api("POST", "/touch", { cookie }))).toMatchObject({ isAuthenticated: false });

    await setPassword(cookie, state.userId as string);
    expect(await json(api("POST", "/touch", { cookie }))).toMatchObject({ isAuthenticated: true, userId: state.userId });
  });

  it("answers login for a user with a password, who then logs in on the password page", async () => {
    const email = `returning-${randomUUID()}@example.com`;
    const first = await signUpWithOAuth("google", email);

    const { cookie, sessionId } = await prepareLogin();
    expect(await portal("/auth/google", { sessionId, email: email.toUpperCase() })).toEqual({ status: 200, text: "ok" });
    expect(await verifyOAuth(cookie)).toEqual({
      stage: "login",
      userId: first.userId,
      auth: { email },
      loginAuthMethods: ["PASSWORD"],
      hasPasswordWithoutPIN: true,
    });
    // The SDK opens the password login page for the same session (`opts.sessionLookupId` is the OAuth one).
    const device = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const encryptionKey = Buffer.from(device.publicKey.export({ type: "pkcs1", format: "pem" }) as string).toString("hex");
    const login = { userId: first.userId, sessionId, encryptionKey, password: PASSWORD };
    expect(await portal("/web/passwords/login", login)).toEqual({ status: 200, text: "ok" });
    expect(await json(api("POST", "/touch", { cookie }))).toMatchObject({ isAuthenticated: true, userId: first.userId });
    expect(await claimsOf(cookie)).toMatchObject({ userId: first.userId, authType: "email", identifier: email, oAuthMethod: "google" });
  });

  it("an email user who continues with Discord is the same user, and logs in", async () => {
    const email = `email-first-${randomUUID()}@example.com`;
    const first = await prepareLogin();
    const { userId } = await json<{ userId: string }>(api("POST", "/users/init", { cookie: first.cookie, body: { email } }));
    await api("POST", `/users/${userId}/verify`, { cookie: first.cookie, body: { verificationCode: "123456" } });
    await setPassword(first.cookie, userId);

    const { cookie, sessionId } = await prepareLogin();
    expect(await portal("/auth/discord", { sessionId, email })).toEqual({ status: 200, text: "ok" });
    expect(await verifyOAuth(cookie)).toMatchObject({ stage: "login", userId, auth: { email } });
  });

  it("refused consent: {} ever after, nobody is signed in, and the sign-in cannot be answered again", async () => {
    const email = `refused-${randomUUID()}@example.com`;
    const { cookie, sessionId } = await prepareLogin();
    expect(await portal("/auth/google/cancel", { sessionId })).toEqual({ status: 200, text: "ok" });
    expect(await verifyOAuth(cookie)).toEqual({});
    expect(await portal("/auth/google", { sessionId, email })).toMatchObject({ status: 409 });
    expect(await portal("/auth/google/cancel", { sessionId })).toMatchObject({ status: 409 });
    expect(await verifyOAuth(cookie)).toEqual({});
    const touched = await json(api("POST", "/touch", { cookie }));
    expect(touched.isAuthenticated).toBe(false);
    expect(touched).not.toHaveProperty("userId");
    expect((await fetch(`${PORTAL_URL}/auth/google?sessionId=${sessionId}`)).status).toBe(409);
  });

  it("a session that starts an email sign-in after consenting is no OAuth session", async () => {
    const { cookie, sessionId } = await prepareLogin();
    expect(await portal("/auth/apple", { sessionId, email: `apple-${randomUUID()}@example.com` })).toMatchObject({ status: 200 });
    await api("POST", "/users/init", { cookie, body: { email: `other-${randomUUID()}@example.com` } });
    expect(await verifyOAuth(cookie)).toEqual({});
  });

  it("refuses unknown providers and sessions, missing fields, bad emails and posts from other origins", async () => {
    const { cookie, sessionId } = await prepareLogin();
    expect((await fetch(`${PORTAL_URL}/auth/myspace?sessionId=${sessionId}`)).status).toBe(404);
    expect((await fetch(`${PORTAL_URL}/auth/constructor?sessionId=${sessionId}`)).status).toBe(404);
    expect((await fetch(`${PORTAL_URL}/auth/google`)).status).toBe(400);
    expect((await fetch(`${PORTAL_URL}/auth/google?sessionId=${randomUUID()}`)).status).toBe(404);
    expect(await portal("/auth/google", { sessionId: randomUUID(), email: "a@example.com" })).toMatchObject({ status: 404 });
    expect(await portal("/auth/google", { sessionId })).toMatchObject({ status: 400 });
    expect(await portal("/auth/google", { sessionId, email: "not an email" })).toEqual({ status: 400, text: "Enter an email address." });
    expect(await portal("/auth/myspace", { sessionId, email: "a@example.com" })).toMatchObject({ status: 400 });
    expect(await portal("/auth/google", { sessionId, email: "a@example.com" }, "http://evil.example")).toMatchObject({ status: 403 });
    expect(await portal("/auth/google/cancel", { sessionId }, "http://evil.example")).toMatchObject({ status: 403 });
    // None of that answered for the session.
    expect(await verifyOAuth(cookie)).toEqual({});
    // No session at all: nothing to report either.
    expect(await json(api("POST", "/users/verify-oauth"))).toEqual({});
    // A signed-in session is not signed in again by a provider.
    const minted = await mintSession();
    const touched = await json<{ sessionLookupId: string }>(api("POST", "/touch", { cookie: minted.sessionCookie }));
    expect(await portal("/auth/google", { sessionId: touched.sessionLookupId, email: "b@example.com" })).toMatchObject({ status: 409 });
  });
});

describe("the provider in Para's answers", () => {
  it("names google in the JWT's data.oAuthMethod and in /sessions/verify", async () => {
    const email = `claims-${randomUUID()}@example.com`;
    const { cookie, sessionId, userId } = await signUpWithOAuth("google", email);
    const claims = await claimsOf(cookie);
    expect(claims).toEqual({ userId, wallets: [], email, authType: "email", identifier: email, oAuthMethod: "google" });
    expect(await verifyToken({ verificationToken: sessionId })).toEqual({
      status: 200,
      body: JSON.stringify({ authType: "email", identifier: email, oAuthMethod: "google" }),
    });
  });

  it("names the modal's TWITTER (the portal's /auth/twitter) x, as Para does", async () => {
    const email = `x-${randomUUID()}@example.com`;
    const { cookie, sessionId } = await signUpWithOAuth("twitter", email);
    expect(await claimsOf(cookie)).toMatchObject({ authType: "email", identifier: email, oAuthMethod: "x" });
    expect(JSON.parse((await verifyToken({ verificationToken: sessionId })).body)).toEqual({
      authType: "email",
      identifier: email,
      oAuthMethod: "x",
    });
  });

  it("names no provider for an email session", async () => {
    const minted = await mintSession();
    const claims = await claimsOf(minted.sessionCookie);
    expect(claims).not.toHaveProperty("oAuthMethod");
    const { sessionLookupId } = await json<{ sessionLookupId: string }>(api("POST", "/touch", { cookie: minted.sessionCookie }));
    expect(JSON.parse((await verifyToken({ verificationToken: sessionLookupId })).body)).toEqual({
      authType: "email",
      identifier: minted.identifier,
    });
  });

  it("a minted OAuth session (/test/sessions {oAuthMethod}) reads the same through the real server SDK", async () => {
    const minted = await mintSession({ oAuthMethod: "facebook" });
    const para = await importedParaServer(minted);
    const { token } = await para.issueJwt();
    const { payload } = await jwtVerify(token, jwks, { audience: PARTNER_ID, subject: minted.userId });
    expect(payload.data).toMatchObject({ authType: "email", identifier: minted.identifier, oAuthMethod: "facebook" });
    const verified = await verifyToken({ verificationToken: await para.getVerificationToken() });
    expect(JSON.parse(verified.body)).toEqual({ authType: "email", identifier: minted.identifier, oAuthMethod: "facebook" });
    expect((await api("POST", "/test/sessions", { body: { phone: "+15555550177", oAuthMethod: "google" } })).status).toBe(400);
  });
});
