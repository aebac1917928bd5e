import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  expireUserSessions,
  type MintedSession,
  mintSession,
  newParaServer,
  OTHER_API_KEY,
  OTHER_PARTNER_ID,
  PARTNER_ID,
  quietSdkLogs,
  signJwtWithParaLocalKey,
} from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import { AppClient, type ErrorBody, SESSION_COOKIE } from "./client";

// Sessions are this app's, and end when the user signs out: a session, token or JWT that Para made
// for another app (another partner) is refused on every path, and a copy of a cookie dies with logout.

quietSdkLogs();
paraLocalForThisFile();

interface View {
  userId: string | null;
  path: "import" | "token" | "jwt";
  checkedBy: "para" | "jwt" | "cookie";
  validatedAt: string;
  expiresAt?: string;
}

const email = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}@example.com`;
const mintOther = () => mintSession({ email: email("other-app"), partner: "other" });

function expectError(response: { status: number; body: unknown; text: string }, status: number, code: string) {
  expect(response.status, response.text).toBe(status);
  expect((response.body as ErrorBody).error.code).toBe(code);
}

/** What the browser SDK of that session's app would hand over: a verification token and a JWT. */
async function tokensOf(user: MintedSession, apiKey?: string) {
  const para = newParaServer(apiKey);
  await para.importSession(user.session);
  return { verificationToken: await para.getVerificationToken(), jwt: (await para.issueJwt()).token };
}

const signIn = {
  import: (client: AppClient, user: MintedSession) => client.request<View>("POST", "/api/session", { json: { session: user.session } }),
  token: async (client: AppClient, user: MintedSession) =>
    client.request<View>("POST", "/api/session/verify", { json: { verificationToken: (await tokensOf(user)).verificationToken } }),
  jwt: async (client: AppClient, user: MintedSession) =>
    client.request<View>("POST", "/api/session/jwt", { json: { token: (await tokensOf(user)).jwt } }),
};

describe("bound to this app: another Para app's sessions, tokens and JWTs are refused", () => {
  it("an exported session of another app: 401 session_invalid, no cookie", async () => {
    const client = new AppClient();
    expectError(await signIn.import(client, await mintOther()), 401, "session_invalid");
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
  });

  it("a JWT Para signed for another app: 401 session_invalid on POST and as Bearer, though its signature is Para's", async () => {
    const { jwt } = await tokensOf(await mintOther(), OTHER_API_KEY);
    const claims = JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as { aud: string };
    expect(claims.aud).toBe(OTHER_PARTNER_ID);
    const client = new AppClient();
    expectError(await client.request("POST", "/api/session/jwt", { json: { token: jwt } }), 401, "session_invalid");
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
    expectError(
      await new AppClient().request("GET", "/api/session", { headers: { authorization: `Bearer ${jwt}` } }),
      401,
      "session_invalid",
    );
  });

  it("a JWT with no aud, or this app's id in an array beside another's, is refused; this app's own is accepted", async () => {
    const user = await mintSession({ email: email("aud") });
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      sub: user.userId,
      iat: now,
      exp: now + 600,
      data: { userId: user.userId, authType: user.authType, identifier: user.identifier, wallets: [] },
    };
    const post = async (payload: Record<string, unknown>) =>
      new AppClient().request("POST", "/api/session/jwt", { json: { token: (await signJwtWithParaLocalKey(payload)).token } });
    expectError(await post(claims), 401, "session_invalid");
    expectError(await post({ ...claims, aud: OTHER_PARTNER_ID }), 401, "session_invalid");
    expect((await post({ ...claims, aud: PARTNER_ID })).status).toBe(200);
  });

  it("a verification token of another app's session: 401 session_expired (para-local answers as for an unknown token)", async () => {
    const { verificationToken } = await tokensOf(await mintOther(), OTHER_API_KEY);
    const client = new AppClient();
    expectError(await client.request("POST", "/api/session/verify", { json: { verificationToken } }), 401, "session_expired");
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
  });
});

describe("logout ends every copy of the cookie, on every path", () => {
  for (const path of ["import", "token", "jwt"] as const) {
    it(`${path} path: after DELETE /api/session a copied cookie answers 401 unauthorized`, async () => {
      const browser = new AppClient();
      const signedIn = await signIn[path](browser, await mintSession({ email: email(`logout-${path}`) }));
      expect(signedIn.status, signedIn.text).toBe(200);
      const copy = new AppClient();
      copy.cookies.set(SESSION_COOKIE, browser.cookies.get(SESSION_COOKIE)!);
      expect((await copy.request("GET", "/api/session")).status).toBe(200);

      expect((await browser.request("DELETE", "/api/session")).status).toBe(200);
      expect(browser.cookies.has(SESSION_COOKIE)).toBe(false);
      expectError(await copy.request("GET", "/api/session"), 401, "unauthorized");
    });
  }
});

describe("a token-path session Para has ended", () => {
  it("reads as ended within the recheck bound (2 s in these tests); checkedBy says whether Para was asked", async () => {
    const user = await mintSession({ email: email("token-ended") });
    const client = new AppClient();
    expect((await signIn.token(client, user)).body).toMatchObject({ path: "token", checkedBy: "para" });
    // Within the bound the server answers from its own record, and says so.
    const soon = await client.request<View>("GET", "/api/session");
    expect(soon.body).toMatchObject({ path: "token", checkedBy: "cookie" });

    // Past the bound Para is asked again: still live.
    await expect
      .poll(async () => (await client.request<View>("GET", "/api/session")).body.checkedBy, { timeout: 10_000, interval: 500 })
      .toBe("para");

    await expireUserSessions(user.userId);
    await expect
      .poll(async () => (await client.request<ErrorBody>("GET", "/api/session")).body.error?.code, { timeout: 10_000, interval: 500 })
      .toBe("session_expired");
    expectError(await client.request("GET", "/api/session"), 401, "unauthorized");
  });
});

describe("Content-Type on state-changing routes", () => {
  it("bodiless POST and DELETE without application/json: 415 unsupported_media_type; with it they work", async () => {
    const client = new AppClient();
    expect((await signIn.import(client, await mintSession({ email: email("content-type") }))).status).toBe(200);
    for (const [method, path] of [
      ["POST", "/api/session/keep-alive"],
      ["DELETE", "/api/session"],
    ] as const) {
      expectError(
        await client.request(method, path, { headers: { "content-type": "text/plain" }, body: "" }),
        415,
        "unsupported_media_type",
      );
      expectError(await client.request(method, path, { headers: {} }), 415, "unsupported_media_type");
    }
    expect((await client.request("GET", "/api/session")).status).toBe(200); // nothing was changed by the refused ones
    expect((await client.request("POST", "/api/session/keep-alive")).status).toBe(200);
    expect(
      (await client.request("DELETE", "/api/session", { headers: { "content-type": "application/json; charset=utf-8" } })).status,
    ).toBe(200);
  });
});
