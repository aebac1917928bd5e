import { randomUUID } from "node:crypto";
import { generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import {
  API_URL,
  importedParaServer,
  type MintedSession,
  mintSession,
  PARTNER_ID,
  quietSdkLogs,
  rotateJwtKey,
  signJwtWithParaLocalKey,
} from "../../para-local/testing";
import { AppClient, type ErrorBody, SESSION_COOKIE } from "./client";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";

quietSdkLogs();
const paraLocal = paraLocalForThisFile();

// This file's para-local has keys of its own: one import (whose token the app fetches from Para
// itself, so it refetches the JWKS at once) brings them into the app's cache before the tests.
beforeAll(async () => {
  const user = await mintSession();
  const imported = await new AppClient().request("POST", "/api/session", { json: { session: user.session } });
  expect(imported.status, imported.text).toBe(200);
});

interface JwtView {
  userId: string;
  authType: string;
  identifier: string;
  wallets: { id: string; type: string; address: string | null }[];
  validatedAt: string;
  expiresAt: string;
  path: "jwt";
  checkedBy: "jwt" | "cookie";
}

const mint = () => mintSession({ email: `jwt-${randomUUID().slice(0, 8)}@example.com` });

/** What `para.issueJwt()` gives the browser for this user. */
async function issuedToken(user: MintedSession): Promise<string> {
  return (await (await importedParaServer(user)).issueJwt()).token;
}

const post = (token: unknown, client = new AppClient()) =>
  client.request<JwtView & ErrorBody>("POST", "/api/session/jwt", { json: { token } });
const bearer = (token: string) =>
  new AppClient().request<JwtView & ErrorBody>("GET", "/api/session", { headers: { authorization: `Bearer ${token}` } });

/** Claims as para-local issues them, for tokens it signs with its real key but Para would never issue. */
function claimsFor(user: MintedSession, overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: user.userId,
    aud: PARTNER_ID,
    iat: now,
    exp: now + 600,
    data: { userId: user.userId, authType: user.authType, identifier: user.identifier, wallets: [], email: user.identifier },
    ...overrides,
  };
}

function expectError(response: { status: number; body: ErrorBody; text: string }, status: number, code: string) {
  expect(response.status, response.text).toBe(status);
  expect(response.body.error.code).toBe(code);
}

describe("path 3: POST /api/session/jwt", () => {
  it("verifies Para's JWT, answers Para's identity and wallets, and starts a cookie that answers until the token expires", async () => {
    const user = await mint();
    const client = new AppClient();
    const response = await post(await issuedToken(user), client);
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({
      userId: user.userId,
      authType: "email",
      identifier: user.identifier,
      path: "jwt",
      checkedBy: "jwt",
    });
    expect(response.body.wallets.map((w) => [w.type, w.address]).sort()).toEqual(user.wallets.map((w) => [w.type, w.address]).sort());
    expect(Date.parse(response.body.expiresAt)).toBeGreaterThan(Date.now());
    expect(client.cookies.has(SESSION_COOKIE), response.headers.getSetCookie().join("\n")).toBe(true);

    // Later requests answer from the cookie, and say so: the token is not checked again, nor is Para asked.
    const later = await client.request<JwtView>("GET", "/api/session");
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ userId: user.userId, path: "jwt", checkedBy: "cookie", expiresAt: response.body.expiresAt });
    // Acting for the user needs an imported session.
    expectError(await client.request<JwtView & ErrorBody>("GET", "/api/wallets/pregen"), 409, "session_not_imported");
  });

  it("a JWT of the user whose session the server imported keeps that session: the server can still act for them", async () => {
    const user = await mint();
    const client = new AppClient();
    expect((await client.request("POST", "/api/session", { json: { session: user.session } })).status).toBe(200);
    const verified = await post(await issuedToken(user), client);
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body).toMatchObject({ path: "jwt", checkedBy: "jwt", userId: user.userId });
    const after = await client.request<JwtView>("GET", "/api/session");
    expect(after.body).toMatchObject({ path: "import", checkedBy: "para", userId: user.userId });
    expect((await client.request("GET", "/api/wallets/pregen")).status).toBe(200);

    // Another user's JWT replaces it, as any new sign-in does.
    const other = await mint();
    expect((await post(await issuedToken(other), client)).status).toBe(200);
    expect((await client.request<JwtView>("GET", "/api/session")).body).toMatchObject({ path: "jwt", userId: other.userId });
  });

  it("a client without cookies sends the JWT as Authorization: Bearer, and the app makes no call to Para for it", async () => {
    const user = await mint();
    const token = await issuedToken(user);
    expect((await bearer(token)).status).toBe(200); // the JWKS is cached from here on
    const before = paraLocal.current!.store.apiRequests;
    const response = await bearer(token);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ userId: user.userId, identifier: user.identifier, path: "jwt", checkedBy: "jwt" });
    expect(paraLocal.current!.store.apiRequests - before).toBe(0);
  });

  it("400 session_malformed for a missing token, one that is not a JWT, or an Authorization header that is not Bearer", async () => {
    expectError(await new AppClient().request<ErrorBody>("POST", "/api/session/jwt", { json: {} }), 400, "session_malformed");
    expectError(await post("not-a-jwt"), 400, "session_malformed");
    expectError(await post("a.b.c"), 400, "session_malformed");
    expectError(await bearer("not-a-jwt"), 400, "session_malformed");
    const basic = await new AppClient().request<ErrorBody>("GET", "/api/session", { headers: { authorization: "Basic dXNlcjpwYXNz" } });
    expectError(basic, 400, "session_malformed");
  });

  it("401 session_invalid for a bad signature, a forged algorithm, an unknown key, a wrong audience or a subject that disagrees", async () => {
    const user = await mint();
    const victim = await mint();
    const token = await issuedToken(user);
    const [header, payload, signature] = token.split(".");

    // The attacker's token with the victim's user id in its claims, signature kept.
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8")) as { sub: string; data: { userId: string } };
    const swapped = Buffer.from(
      JSON.stringify({ ...claims, sub: victim.userId, data: { ...claims.data, userId: victim.userId } }),
    ).toString("base64url");
    expectError(await post(`${header}.${swapped}.${signature}`), 401, "session_invalid");

    // alg "none", and HS256 keyed with Para's public key (the classic RS/HS confusion).
    const none = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${payload}.`;
    expectError(await post(none), 401, "session_invalid");
    const jwks = (await (await fetch(`${API_URL}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    const publicKeyBytes = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
    const hs256 = await new SignJWT(claimsFor(user)).setProtectedHeader({ alg: "HS256", kid: jwks.keys[0]!.kid }).sign(publicKeyBytes);
    expectError(await post(hs256), 401, "session_invalid");

    // Signed by a key Para does not publish, under a key id it does not know.
    const { privateKey } = await generateKeyPair("RS256");
    const unknownKey = await new SignJWT(claimsFor(user))
      .setProtectedHeader({ alg: "RS256", kid: `attacker-${randomUUID()}` })
      .sign(privateKey);
    expectError(await post(unknownKey), 401, "session_invalid");

    // Para's real key, but claims Para would not make.
    expectError(await post((await signJwtWithParaLocalKey(claimsFor(user, { aud: "another-partner" }))).token), 401, "session_invalid");
    const disagreeing = claimsFor(user, { sub: victim.userId });
    expectError(await post((await signJwtWithParaLocalKey(disagreeing)).token), 401, "session_invalid");
    const future = claimsFor(user, { iat: Math.floor(Date.now() / 1000) + 3600 });
    expectError(await post((await signJwtWithParaLocalKey(future)).token), 401, "session_invalid");

    // A header asking for an extension no verifier supports (`crit`): the client's token, not Para failing (was 502).
    const crit = Buffer.from(JSON.stringify({ alg: "RS256", kid: jwks.keys[0]!.kid, crit: ["x-ext"], "x-ext": 1 })).toString("base64url");
    expectError(await post(`${crit}.${payload}.${signature}`), 401, "session_invalid");
  });

  it("401 session_expired after exp, on POST, on Bearer, and on the cookie it started", async () => {
    const user = await mint();
    const past = claimsFor(user, { iat: Math.floor(Date.now() / 1000) - 600, exp: Math.floor(Date.now() / 1000) - 120 });
    const expired = (await signJwtWithParaLocalKey(past)).token;
    expectError(await post(expired), 401, "session_expired");
    expectError(await bearer(expired), 401, "session_expired");
    // Past its exp but within the verifier's 30 s clock tolerance: nothing to keep, so no session is started.
    const justPast = claimsFor(user, { exp: Math.floor(Date.now() / 1000) - 5 });
    const justPastClient = new AppClient();
    expectError(await post((await signJwtWithParaLocalKey(justPast)).token, justPastClient), 401, "session_expired");
    expect(justPastClient.cookies.size).toBe(0);

    // A token that expires in two seconds: the cookie it starts ends with it.
    const soon = claimsFor(user, { exp: Math.floor(Date.now() / 1000) + 2 });
    const client = new AppClient();
    expect((await post((await signJwtWithParaLocalKey(soon)).token, client)).status).toBe(200);
    await expect
      .poll(async () => (await client.request<ErrorBody>("GET", "/api/session")).body.error?.code, { timeout: 10_000, interval: 500 })
      .toBe("session_expired");
    // Its row is gone: the cookie names nothing now.
    expect((await client.request<ErrorBody>("GET", "/api/session")).body.error?.code).toBe("unauthorized");
  });

  it("after Para rotates its key, tokens from the new key are accepted (the app refetches the JWKS)", async () => {
    const user = await mint();
    expect((await post(await issuedToken(user))).status).toBe(200);
    const { kid } = await rotateJwtKey();
    const token = await issuedToken(user);
    expect(JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString("utf8")).kid).toBe(kid);
    // The refetch waits out the JWKS cooldown (1 s in these tests, 30 s by default).
    await expect.poll(async () => (await post(token)).status, { timeout: 10_000, interval: 250 }).toBe(200);
  });

  it("an import right after a rotation succeeds at once: a token the app fetched from Para itself refetches the JWKS", async () => {
    const signIn = async () =>
      (await new AppClient().request("POST", "/api/session", { json: { session: (await mint()).session } })).status;
    await rotateJwtKey();
    expect(await signIn()).toBe(200); // the app has just fetched the JWKS: the cooldown runs from here
    await rotateJwtKey();
    expect(await signIn()).toBe(200);
  });

  it("Para's JWKS unreachable: a token naming a key the app has not cached is 502 upstream_unavailable, not a 401", async () => {
    const user = await mint();
    const { privateKey } = await generateKeyPair("RS256");
    const unknownKey = await new SignJWT(claimsFor(user))
      .setProtectedHeader({ alg: "RS256", kid: `rotated-${randomUUID()}` })
      .sign(privateKey);
    await paraLocal.stop();
    try {
      // Once the cooldown since the last JWKS fetch is over, the app tries to fetch it again, and cannot.
      await expect
        .poll(async () => (await bearer(unknownKey)).body.error?.code, { timeout: 10_000, interval: 250 })
        .toBe("upstream_unavailable");
      expect((await bearer(unknownKey)).status).toBe(502);
    } finally {
      await paraLocal.start();
    }
  });
});
