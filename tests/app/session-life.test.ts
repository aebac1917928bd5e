import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import {
  answerFalseNegatives,
  expireUserSessions,
  INVALID_API_KEY_FAULT,
  injectFault,
  limitKeepAlive,
  type MintedSession,
  mintSession,
  newParaServer,
  quietSdkLogs,
  resetParaLocal,
  setKeepAliveMode,
  setSessionLength,
  signJwtWithParaLocalKey,
  PARTNER_ID,
} from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import { AppClient, type AppResponse, type ErrorBody, SESSION_COOKIE } from "./client";

// The server's session lives exactly as long as Para's: its end is the `exp` Para signs, the cookie
// and the stored row follow it, keep-alive moves it, and each way Para has been seen to answer
// keep-alive and /touch in production gets the right answer here.

quietSdkLogs();
paraLocalForThisFile();

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface View {
  userId: string | null;
  path: "import" | "token" | "jwt";
  checkedBy: string;
  expiresAt?: string;
  extended?: boolean;
}

// Each test leaves para-local as it found it: length, keep-alive mode and limit, faults (users are minted per test).
afterEach(() => resetParaLocal());

const mint = () => mintSession({ email: `life-${randomUUID().slice(0, 8)}@example.com` });

async function imported(user: MintedSession) {
  const client = new AppClient();
  const response = await client.request<View>("POST", "/api/session", { json: { session: user.session } });
  expect(response.status, response.text).toBe(200);
  return { client, response };
}

/** The session cookie's Max-Age in seconds, from the response that set it. */
function cookieMaxAge(response: AppResponse): number {
  const line = response.headers.getSetCookie().find((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
  expect(line, "the response sets the session cookie").toBeDefined();
  return Number(/Max-Age=(\d+)/i.exec(line!)?.[1]);
}

/** `expiresAt` is `ms` from `from`, give or take the seconds the test itself took. */
function expectEndsIn(expiresAt: string | undefined, from: number, ms: number) {
  expect(expiresAt).toBeDefined();
  expect(Math.abs(Date.parse(expiresAt!) - (from + ms))).toBeLessThan(5_000);
}

function expectError(response: { status: number; body: unknown; text: string }, status: number, code: string) {
  expect(response.status, response.text).toBe(status);
  expect((response.body as ErrorBody).error.code).toBe(code);
}

describe("the session ends when Para's does", () => {
  for (const [label, length] of [
    ["30 days", 30 * DAY],
    ["15 minutes", 15 * MINUTE],
    ["6 hours", 6 * HOUR],
  ] as const) {
    it(`Para sessions of ${label}: import and JWT answers say Para's end, and the cookie lasts exactly as long`, async () => {
      await setSessionLength(length);
      const user = await mint();
      const started = Date.now();
      const { client, response } = await imported(user);
      expectEndsIn(response.body.expiresAt, started, length);
      expect(Math.abs(cookieMaxAge(response) - length / 1000)).toBeLessThanOrEqual(5);
      // Later checks answer the same end; only Para's word moves it.
      expect((await client.request<View>("GET", "/api/session")).body.expiresAt).toBe(response.body.expiresAt);

      const para = newParaServer();
      await para.importSession(user.session);
      const jwt = await new AppClient().request<View>("POST", "/api/session/jwt", { json: { token: (await para.issueJwt()).token } });
      expectEndsIn(jwt.body.expiresAt, started, length);
      expect(Math.abs(cookieMaxAge(jwt) - length / 1000)).toBeLessThanOrEqual(5);

      // The token path says what it knows: Para's answer names no end.
      const token = await new AppClient().request<View>("POST", "/api/session/verify", {
        json: { verificationToken: await para.getVerificationToken() },
      });
      expect(token.status).toBe(200);
      expect(token.body.expiresAt).toBeUndefined();
    });
  }

  it("a JWT that claims more than 30 days is held to 30 days", async () => {
    const user = await mint();
    const now = Math.floor(Date.now() / 1000);
    const { token } = await signJwtWithParaLocalKey({
      sub: user.userId,
      aud: PARTNER_ID,
      iat: now,
      exp: now + 40 * 86_400,
      data: { userId: user.userId, authType: user.authType, identifier: user.identifier, wallets: [] },
    });
    const response = await new AppClient().request<View>("POST", "/api/session/jwt", { json: { token } });
    expectEndsIn(response.body.expiresAt, now * 1000, 30 * DAY);
    expect(cookieMaxAge(response)).toBeLessThanOrEqual(30 * 86_400);
  });

  it("keep-alive moves the end to Para's new one and sets the cookie again", async () => {
    await setSessionLength(15 * MINUTE);
    const { client, response } = await imported(await mint());
    await setSessionLength(6 * HOUR);
    const started = Date.now();
    const kept = await client.request<View>("POST", "/api/session/keep-alive");
    expect(kept.status, kept.text).toBe(200);
    expect(kept.body.extended).toBe(true);
    expectEndsIn(kept.body.expiresAt, started, 6 * HOUR);
    expect(Date.parse(kept.body.expiresAt!)).toBeGreaterThan(Date.parse(response.body.expiresAt!));
    expect(Math.abs(cookieMaxAge(kept) - (6 * HOUR) / 1000)).toBeLessThanOrEqual(5);
    expect((await client.request<View>("GET", "/api/session")).body.expiresAt).toBe(kept.body.expiresAt);
  });
});

describe("keep-alive as Para has been seen to answer it", () => {
  for (const mode of ["silent", "stale"] as const) {
    it(`${mode}: extended, with no new Expires in the cookie — the server takes the end from Para's JWT, not the cookie`, async () => {
      await setSessionLength(15 * MINUTE);
      const { client } = await imported(await mint());
      await setSessionLength(6 * HOUR);
      await setKeepAliveMode(mode);
      const started = Date.now();
      const kept = await client.request<View>("POST", "/api/session/keep-alive");
      expect(kept.status, kept.text).toBe(200);
      expect(kept.body.extended).toBe(true);
      expectEndsIn(kept.body.expiresAt, started, 6 * HOUR);
      expect((await client.request("GET", "/api/session")).status).toBe(200);
    });
  }

  it("ignore (200, but nothing extended): the answer says extended: false and the end stays", async () => {
    const { client, response } = await imported(await mint());
    await setKeepAliveMode("ignore");
    const kept = await client.request<View>("POST", "/api/session/keep-alive");
    expect(kept.status, kept.text).toBe(200);
    expect(kept.body.extended).toBe(false);
    expect(kept.body.expiresAt).toBe(response.body.expiresAt);
  });

  it("only the first of several keep-alives in a window succeeds: the others are 503 (Para's 429 or 401), and no session is lost", async () => {
    const users = await Promise.all([mint(), mint(), mint()]);
    const clients = await Promise.all(users.map(async (user) => (await imported(user)).client));
    await limitKeepAlive({ allow: 1, windowMs: HOUR });
    expect((await clients[0]!.request("POST", "/api/session/keep-alive")).status).toBe(200);
    const busy = await clients[1]!.request("POST", "/api/session/keep-alive");
    expectError(busy, 503, "upstream_busy");
    expect(busy.headers.get("retry-after")).not.toBeNull();

    await limitKeepAlive({ allow: 0, windowMs: HOUR, status: 401 });
    // keepSessionAlive() is false, but isSessionActive() says the session is live: Para's failure, not the user's.
    expectError(await clients[2]!.request("POST", "/api/session/keep-alive"), 503, "upstream_busy");
    for (const client of clients) expect((await client.request("GET", "/api/session")).status).toBe(200);
  });

  it("a refused keep-alive, then one false 'not signed in': asked again with the server's own cookie, so the session stays", async () => {
    const user = await mint();
    const { client } = await imported(user);
    await limitKeepAlive({ allow: 0, windowMs: HOUR });
    await answerFalseNegatives(user.userId, 1, { newCookie: true });
    expectError(await client.request("POST", "/api/session/keep-alive"), 503, "upstream_busy");
    expect((await client.request("GET", "/api/session")).status).toBe(200);
  });
});

describe("Para busy", () => {
  for (const [route, method, path] of [
    ["/touch", "GET", "/api/session"],
    ["/users/:userId/session/keep-alive", "POST", "/api/session/keep-alive"],
  ] as const) {
    it(`429 and 500 on ${route}: ${method} ${path} is 503 with Retry-After, and the session is intact`, async () => {
      const { client } = await imported(await mint());
      for (const status of [429, 500]) {
        await injectFault({ method: "POST", path: route, status });
        const answer = await client.request(method, path);
        expectError(answer, 503, "upstream_busy");
        expect(Number(answer.headers.get("retry-after"))).toBeGreaterThan(0);
      }
      expect((await client.request("GET", "/api/session")).status).toBe(200);
    });
  }
});

describe("/touch as Para has been seen to answer it", () => {
  it("a false 'not signed in' with a new anonymous cookie: asked again with the server's own cookie, and the anonymous one is never stored", async () => {
    const user = await mint();
    const { client } = await imported(user);
    await answerFalseNegatives(user.userId, 1, { newCookie: true });
    const check = await client.request("GET", "/api/session");
    expect(check.status, check.text).toBe(200);
    expect(JSON.parse(check.headers.get("x-para-calls")!)).toHaveLength(2);
    // Had the anonymous cookie been kept, Para would now say "not signed in" twice.
    const next = await client.request("GET", "/api/session");
    expect(next.status, next.text).toBe(200);
    expect(JSON.parse(next.headers.get("x-para-calls")!)).toHaveLength(1);
  });

  it("a 401 or 403 on /touch never ends a session (Para answers an ended one with isAuthenticated: false): 502, and the row stays", async () => {
    const { client } = await imported(await mint());
    for (const status of [401, 403]) {
      await injectFault({ method: "POST", path: "/touch", status, message: "forbidden" });
      expectError(await client.request("GET", "/api/session"), 502, "upstream_error");
      expect((await client.request("GET", "/api/session")).status).toBe(200);
    }
  });

  it("a refused JWT for a held session is asked again: live, so keep-alive is 502 and nothing ends; ended, so it is 401", async () => {
    const user = await mint();
    const { client } = await imported(user);
    await injectFault({ method: "POST", path: "/auth/jwt", status: 401, message: "session expired or not signed in" });
    expectError(await client.request("POST", "/api/session/keep-alive"), 502, "upstream_error");
    expect((await client.request("GET", "/api/session")).status).toBe(200);

    await expireUserSessions(user.userId);
    expectError(await client.request("POST", "/api/session/keep-alive"), 401, "session_expired");
  });

  it("Para refusing the app's API key ends no session: 502 upstream_error, and the next request is served", async () => {
    const { client } = await imported(await mint());
    await injectFault({ method: "POST", path: "/touch", ...INVALID_API_KEY_FAULT, count: 2 });
    expectError(await client.request("GET", "/api/session"), 502, "upstream_error");
    expectError(await client.request("POST", "/api/session/keep-alive"), 502, "upstream_error");
    expect((await client.request("GET", "/api/session")).status).toBe(200);
  });
});
