// Two apps on one Para: each session, JWT and pregen wallet belongs to the partner whose key
// started it, and an app can tell another app's session by the partner id Para answers.
import { randomUUID } from "node:crypto";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import {
  API_KEY,
  API_URL,
  api,
  importedParaServer,
  mintSession,
  newParaServer,
  OTHER_API_KEY,
  OTHER_PARTNER_ID,
  OTHER_SECRET_KEY,
  PARTNER_ID,
  quietSdkLogs,
  SECRET_KEY,
  verifyToken,
} from "../testing/index.js";

quietSdkLogs();

const PORTAL_URL = "http://localhost:3003";
const jwks = createRemoteJWKSet(new URL(`${API_URL}/.well-known/jwks.json`));

/** Para's answer to `/touch` for a cookie, asked with `apiKey`. */
async function touch(apiKey: string, cookie?: string) {
  const answer = await api("POST", "/touch?regenerate=false", { apiKey, cookie });
  expect(answer.status, answer.text).toBe(200);
  return { ...(JSON.parse(answer.text) as { partnerId: string; isAuthenticated: boolean; userId?: string }), cookie: answer.sessionHeader };
}

describe("a second partner (another app)", () => {
  it("serves both partners at GET /partners/:id, and 404 for any other id", async () => {
    for (const [id, displayName] of [
      [PARTNER_ID, "Para Server Sessions (para-local)"],
      [OTHER_PARTNER_ID, "Another app (para-local)"],
    ]) {
      const answer = await api("GET", `/partners/${id}`);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text).partner).toMatchObject({ id, displayName });
    }
    expect((await api("GET", `/partners/${randomUUID()}`)).status).toBe(404);
  });

  it("accepts either partner's API key and refuses any other with 403 'invalid API key'", async () => {
    expect((await touch(API_KEY)).partnerId).toBe(PARTNER_ID);
    expect((await touch(OTHER_API_KEY)).partnerId).toBe(OTHER_PARTNER_ID);
    // A secret key is for /sessions/verify only.
    for (const apiKey of [OTHER_SECRET_KEY, "para-local-other", "nope"]) {
      expect(await api("POST", "/touch", { apiKey })).toMatchObject({ status: 403, text: "invalid API key" });
    }
  });

  it("/touch answers the session's partner, not the caller's: the main app sees the other app's session", async () => {
    const other = await mintSession({ partner: "other" });
    const asMain = await touch(API_KEY, other.sessionCookie);
    expect(asMain).toMatchObject({ partnerId: OTHER_PARTNER_ID, isAuthenticated: true, userId: other.userId });
    // And the other way round.
    const main = await mintSession();
    expect((await touch(OTHER_API_KEY, main.sessionCookie)).partnerId).toBe(PARTNER_ID);

    // The real SDK with the main key gets the same answer from touchSession().
    const para = await importedParaServer(other);
    expect((await para.touchSession()).partnerId).toBe(OTHER_PARTNER_ID);
    expect(await para.isSessionActive()).toBe(true);
  });

  it("a session started with the other app's key (the browser's sign-up) belongs to the other app", async () => {
    const anonymous = await touch(OTHER_API_KEY);
    expect(anonymous.partnerId).toBe(OTHER_PARTNER_ID);
    const cookie = anonymous.cookie!;
    // The modal's sign-up, as auth.test.ts drives it, with the other app's key throughout.
    const email = `other-${randomUUID()}@para-local.test`;
    const init = JSON.parse((await api("POST", "/users/init", { apiKey: OTHER_API_KEY, cookie, body: { email } })).text) as {
      userId: string;
    };
    const code = { verificationCode: "123456" };
    expect((await api("POST", `/users/${init.userId}/verify`, { apiKey: OTHER_API_KEY, cookie, body: code })).status).toBe(200);
    const key = await api("POST", `/users/${init.userId}/passwords/key`, { apiKey: OTHER_API_KEY, cookie, body: { status: "PENDING" } });
    const { id: passwordId } = JSON.parse(key.text) as { id: string };
    const set = await fetch(`${PORTAL_URL}/web/users/${init.userId}/passwords/${passwordId}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: PORTAL_URL },
      body: JSON.stringify({ password: "correct horse battery" }),
    });
    expect(set.status).toBe(200);

    expect(await touch(OTHER_API_KEY, cookie)).toMatchObject({ partnerId: OTHER_PARTNER_ID, isAuthenticated: true, userId: init.userId });
    // Still the other app's when the main app's key asks.
    expect((await touch(API_KEY, cookie)).partnerId).toBe(OTHER_PARTNER_ID);
    const jwt = await api("POST", "/auth/jwt", { apiKey: OTHER_API_KEY, cookie, body: {} });
    const { payload } = await jwtVerify((JSON.parse(jwt.text) as { token: string }).token, jwks);
    expect(payload.aud).toBe(OTHER_PARTNER_ID);
  });

  it("a JWT's aud is the session's partner", async () => {
    const other = await mintSession({ partner: "other" });
    const { token } = await (await importedParaServer(other)).issueJwt();
    const { payload } = await jwtVerify(token, jwks, { audience: OTHER_PARTNER_ID, subject: other.userId });
    expect(payload.aud).toBe(OTHER_PARTNER_ID);
    await expect(jwtVerify(token, jwks, { audience: PARTNER_ID })).rejects.toThrow(/aud/);

    const main = await mintSession();
    const mainToken = (await (await importedParaServer(main, OTHER_API_KEY)).issueJwt()).token;
    expect((await jwtVerify(mainToken, jwks)).payload.aud).toBe(PARTNER_ID);
  });

  it("/sessions/verify: the other app's token is 403 with the main app's keys, 200 with the other app's", async () => {
    const other = await mintSession({ partner: "other" });
    const token = await (await importedParaServer(other)).getVerificationToken();
    const body = { verificationToken: token };
    const mainKeys: Record<string, string>[] = [{ "x-partner-id": API_KEY }, { "x-external-api-key": SECRET_KEY }];
    const otherKeys: Record<string, string>[] = [{ "x-partner-id": OTHER_API_KEY }, { "x-external-api-key": OTHER_SECRET_KEY }];
    for (const headers of mainKeys) {
      expect(await verifyToken(body, headers)).toEqual({ status: 403, body: "session expired or invalid" });
    }
    for (const headers of otherKeys) {
      const answer = await verifyToken(body, headers);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ authType: "email", identifier: other.identifier });
    }
    // And the main app's token the other way round.
    const main = await mintSession();
    const mainToken = await (await importedParaServer(main)).getVerificationToken();
    expect((await verifyToken({ verificationToken: mainToken }, { "x-external-api-key": OTHER_SECRET_KEY })).status).toBe(403);
    expect((await verifyToken({ verificationToken: mainToken }, { "x-external-api-key": SECRET_KEY })).status).toBe(200);
  });

  it("pregenerated wallets belong to the partner that made them: the other app does not find the main app's", async () => {
    const pregenId = { customId: `partner-${randomUUID()}` };
    const wallet = await newParaServer(OTHER_API_KEY).createPregenWallet({ type: "EVM", pregenId });
    expect(wallet.partnerId).toBe(OTHER_PARTNER_ID);
    expect(await newParaServer(OTHER_API_KEY).hasPregenWallet({ pregenId })).toBe(true);
    expect(await newParaServer().hasPregenWallet({ pregenId })).toBe(false);
    // The main app may make its own for the same identifier.
    expect((await newParaServer().createPregenWallet({ type: "EVM", pregenId })).partnerId).toBe(PARTNER_ID);
  });
});
