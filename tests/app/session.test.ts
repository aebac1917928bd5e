import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import {
  advanceClock,
  answerFalseNegatives,
  expireUserSessions,
  type MintedSession,
  mintSession,
  newParaServer,
  quietSdkLogs,
} from "../../para-local/testing";
import { AppClient, answeredBodies, type ErrorBody, SESSION_COOKIE, withoutSigners } from "./client";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";

quietSdkLogs();
const paraLocal = paraLocalForThisFile();

interface SessionView {
  userId: string | null;
  authType: string;
  identifier: string;
  wallets: { id: string; type: string; address: string | null }[];
  hasSigners: boolean;
  validatedAt: string;
  path: "import" | "token";
}

/** Every secret the tests handle; none may appear in a response body or a log line. */
const secrets = new Set<string>();
let userCount = 0;

async function mint(): Promise<MintedSession> {
  const minted = await mintSession({ email: `user${++userCount}-${Date.now()}@example.com` });
  secrets.add(minted.session);
  secrets.add(minted.sessionCookie);
  return minted;
}

async function signedIn(minted?: MintedSession) {
  const user = minted ?? (await mint());
  const client = new AppClient();
  const response = await client.request<SessionView>("POST", "/api/session", { json: { session: user.session } });
  expect(response.status, response.text).toBe(200);
  secrets.add(client.cookies.get(SESSION_COOKIE)!);
  return { client, user, response };
}

async function tokenFor(minted: MintedSession): Promise<string> {
  const para = newParaServer();
  await para.importSession(minted.session);
  const token = await para.getVerificationToken();
  secrets.add(token);
  return token;
}

describe("POST /api/session (path 1: import)", () => {
  it("imports, validates and answers the server's view; the cookie holds no session", async () => {
    const { client, user, response } = await signedIn();
    expect(response.body).toMatchObject({
      userId: user.userId,
      authType: "email",
      identifier: user.identifier,
      hasSigners: true,
      path: "import",
      checkedBy: "para",
    });
    expect(response.body.wallets.map((w) => [w.type, w.address])).toEqual(user.wallets.map((w) => [w.type, w.address]));
    expect(Date.parse(response.body.validatedAt)).toBeGreaterThan(Date.now() - 60_000);

    const cookie = client.cookies.get(SESSION_COOKIE)!;
    expect(cookie.length).toBeLessThan(1024);
    expect(cookie).not.toContain(user.session.slice(0, 40));
    const setCookie = response.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    // Secure in production, so `__Host-`: Path=/ and no Domain, or browsers refuse it.
    expect(setCookie).toMatch(/^__Host-para_server_sessions=/);
    expect(setCookie).toMatch(/; Secure/i);
    expect(setCookie).toMatch(/; Path=\/(;|$)/);
    expect(setCookie).not.toMatch(/Domain=/i);
  });

  it("accepts a session exported without signers and says so", async () => {
    const user = await mint();
    const client = new AppClient();
    const response = await client.request<SessionView>("POST", "/api/session", { json: { session: withoutSigners(user.session) } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ userId: user.userId, hasSigners: false });
  });

  it("answers 401 session_expired for a session Para has ended, and sets no cookie", async () => {
    const user = await mint();
    await expireUserSessions(user.userId);
    const client = new AppClient();
    const response = await client.request<ErrorBody>("POST", "/api/session", { json: { session: user.session } });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("session_expired");
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
  });
});

describe("GET /api/session", () => {
  it("re-validates with Para and answers the same identity with a new validatedAt", async () => {
    const { client, user, response: imported } = await signedIn();
    const response = await client.request<SessionView>("GET", "/api/session");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ userId: user.userId, identifier: user.identifier, path: "import", hasSigners: true });
    expect(Date.parse(response.body.validatedAt)).toBeGreaterThanOrEqual(Date.parse(imported.body.validatedAt));
  });

  it("answers 401 unauthorized without a cookie", async () => {
    const response = await new AppClient().request<ErrorBody>("GET", "/api/session");
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("unauthorized");
  });

  it("answers 401 session_expired once Para ends the session and forgets the stored session (the cookie then names nothing)", async () => {
    const { client, user } = await signedIn();
    const cookie = client.cookies.get(SESSION_COOKIE)!;
    await expireUserSessions(user.userId);

    const response = await client.request<ErrorBody>("GET", "/api/session");
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("session_expired");
    // No clearing Set-Cookie (one could land after a new sign-in): the cookie just names nothing now.
    expect(response.headers.getSetCookie()).toEqual([]);

    // Replaying the old cookie finds nothing stored any more.
    const replay = await client.request<ErrorBody>("GET", "/api/session", { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe("unauthorized");
  });
});

describe("one false 'not signed in' from Para", () => {
  it("is asked once more and does not end the session; two in a row do", async () => {
    const { client, user } = await signedIn();
    await answerFalseNegatives(user.userId, 1);
    const kept = await client.request<SessionView>("GET", "/api/session");
    expect(kept.status, kept.text).toBe(200);
    expect(JSON.parse(kept.headers.get("x-para-calls")!)).toHaveLength(2);
    expect((await client.request("GET", "/api/session")).status).toBe(200);

    await answerFalseNegatives(user.userId, 2);
    const ended = await client.request<ErrorBody>("GET", "/api/session");
    expect(ended.status).toBe(401);
    expect(ended.body.error.code).toBe("session_expired");
  });
});

describe("POST /api/session/keep-alive", () => {
  it("extends the session: past the original length it is still active, while one not kept alive has ended", async () => {
    const kept = await signedIn();
    const idle = await signedIn();
    await advanceClock(20 * 60 * 1000);

    const response = await kept.client.request<SessionView & { extended: boolean }>("POST", "/api/session/keep-alive");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ extended: true, userId: kept.user.userId });

    await advanceClock(20 * 60 * 1000); // 40 min after sign-in: past para-local's default 30 min length
    expect((await kept.client.request("GET", "/api/session")).status).toBe(200);
    const ended = await idle.client.request<ErrorBody>("GET", "/api/session");
    expect(ended.status).toBe(401);
    expect(ended.body.error.code).toBe("session_expired");
  });

  it("answers 401 session_expired when the session has ended", async () => {
    const { client, user } = await signedIn();
    await expireUserSessions(user.userId);
    const response = await client.request<ErrorBody>("POST", "/api/session/keep-alive");
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("session_expired");
    expect((await client.request<ErrorBody>("GET", "/api/session")).body.error.code).toBe("unauthorized");
  });

  it("answers 401 unauthorized without a cookie", async () => {
    const response = await new AppClient().request<ErrorBody>("POST", "/api/session/keep-alive");
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("unauthorized");
  });
});

describe("POST /api/session/verify (path 2: verification token)", () => {
  it("answers Para's identity for a live session and starts a token-path cookie session", async () => {
    const user = await mint();
    const client = new AppClient();
    const response = await client.request<SessionView>("POST", "/api/session/verify", {
      json: { verificationToken: await tokenFor(user) },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ authType: "email", identifier: user.identifier, path: "token" });
    secrets.add(client.cookies.get(SESSION_COOKIE)!);

    const view = await client.request<SessionView>("GET", "/api/session");
    expect(view.status).toBe(200);
    // Answered from the cookie, and it says so: the token is not checked again.
    expect(view.body).toMatchObject({ identifier: user.identifier, path: "token", hasSigners: false, checkedBy: "cookie" });
    const keepAlive = await client.request<ErrorBody>("POST", "/api/session/keep-alive");
    expect(keepAlive.status).toBe(409);
    expect(keepAlive.body.error.code).toBe("session_not_imported");
  });

  it("answers 401 session_expired once the session has ended", async () => {
    const user = await mint();
    const token = await tokenFor(user);
    await expireUserSessions(user.userId);
    const response = await new AppClient().request<ErrorBody>("POST", "/api/session/verify", { json: { verificationToken: token } });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe("session_expired");
  });

  it("answers 400 when the token is missing", async () => {
    const response = await new AppClient().request<ErrorBody>("POST", "/api/session/verify", { json: {} });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("bad_request");
    expect(response.body.error.message).toContain("verificationToken");
  });
});

describe("DELETE /api/session", () => {
  it("signs out: clears the cookie and the stored session; a second call still succeeds", async () => {
    const { client } = await signedIn();
    const cookie = client.cookies.get(SESSION_COOKIE)!;
    const response = await client.request("DELETE", "/api/session");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ signedOut: true });
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);

    const replay = await client.request<ErrorBody>("GET", "/api/session", { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
    expect(replay.status).toBe(401);
    expect((await client.request("DELETE", "/api/session")).status).toBe(200);
  });
});

describe("isolation", () => {
  it("50 concurrent imports of 50 users each answer with their own user", async () => {
    const users = await Promise.all(Array.from({ length: 50 }, () => mint()));
    const clients = users.map(() => new AppClient());
    const responses = await Promise.all(
      users.map((user, i) => clients[i]!.request<SessionView>("POST", "/api/session", { json: { session: user.session } })),
    );
    responses.forEach((response, i) => {
      expect(response.status, response.text).toBe(200);
      expect(response.body.userId).toBe(users[i]!.userId);
      expect(response.body.identifier).toBe(users[i]!.identifier);
    });
    // And each cookie still leads to its own user.
    const views = await Promise.all(clients.map((client) => client.request<SessionView>("GET", "/api/session")));
    views.forEach((view, i) => expect(view.body.userId).toBe(users[i]!.userId));
  });
});

describe("Para unreachable", () => {
  it("answers 502 upstream_unavailable, keeps the stored session, and keeps serving", async () => {
    const { client, user } = await signedIn();
    const another = await mint();
    await paraLocal.stop();
    try {
      const imported = await new AppClient().request<ErrorBody>("POST", "/api/session", { json: { session: another.session } });
      expect(imported.status).toBe(502);
      expect(imported.body.error.code).toBe("upstream_unavailable");

      const checked = await client.request<ErrorBody>("GET", "/api/session");
      expect(checked.status).toBe(502);
      expect(checked.body.error.code).toBe("upstream_unavailable");
      expect(client.cookies.has(SESSION_COOKIE)).toBe(true);

      const verified = await new AppClient().request<ErrorBody>("POST", "/api/session/verify", { json: { verificationToken: "any" } });
      expect(verified.status).toBe(502);
      expect(verified.body.error.code).toBe("upstream_unavailable");

      expect((await new AppClient().request("GET", "/api/health")).status).toBe(200);
    } finally {
      await paraLocal.start();
    }
    // para-local restarted empty: the user is unknown to it now, so the session has ended.
    expect(user.userId).toBeTruthy();
    expect((await client.request("GET", "/api/session")).status).toBe(401);
  });
});

describe("secrets", () => {
  it("never appear in a response body or a log line", async () => {
    const last = await new AppClient().request("GET", "/api/health");
    const requestId = last.headers.get("x-request-id")!;
    const log = () => readFileSync(inject("appLog"), "utf8");
    // The server's output reaches the file through a pipe: wait until this file's last request is in it.
    await expect.poll(() => log().includes(requestId), { timeout: 10_000 }).toBe(true);

    const haystacks = [...answeredBodies, log()];
    expect(secrets.size).toBeGreaterThan(10);
    for (const secret of secrets) {
      for (const haystack of haystacks) expect(haystack.includes(secret), `a secret (${secret.slice(0, 12)}…) leaked`).toBe(false);
    }
    // Nor do signer shares (each wallet's private key travels only inside the session).
    expect(log()).not.toMatch(/"signer"/);
  });
});
