import { request as httpRequest } from "node:http";
import { sealData } from "iron-session";
import { describe, expect, it } from "vitest";
import { mintSession, quietSdkLogs } from "../../para-local/testing";
import { AppClient, type ErrorBody, SESSION_COOKIE } from "./client";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";

quietSdkLogs();
paraLocalForThisFile();

const base64 = (value: string) => Buffer.from(value).toString("base64");
const exported = (fields: Record<string, unknown>) => base64(JSON.stringify(fields));

async function expectError(response: Promise<{ status: number; body: unknown }>, status: number, code: string, mentions?: string) {
  const { status: actual, body } = await response;
  expect(actual, JSON.stringify(body)).toBe(status);
  const error = (body as ErrorBody).error;
  expect(error.code).toBe(code);
  expect(typeof error.message).toBe("string");
  if (mentions) expect(error.message).toContain(mentions);
}

const importSession = (body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
  new AppClient().request("POST", "/api/session", { body, headers });
/** A session that is not one, sent as the browser sends any: encrypted to the server's key. */
const sendExported = (session: string) => new AppClient().request("POST", "/api/session", { json: { session } });

describe("POST /api/session rejects bad input with a clear 4xx", () => {
  it("body that is not JSON → 400 invalid_json", () => expectError(importSession("{not json"), 400, "invalid_json"));
  it("wrong content type → 415", () =>
    expectError(importSession("session=x", { "content-type": "application/x-www-form-urlencoded" }), 415, "unsupported_media_type"));
  it("no content type → 415", () => expectError(importSession('{"session":"x"}', {}), 415, "unsupported_media_type"));
  it("missing field → 400 naming it", () => expectError(importSession("{}"), 400, "bad_request", "session"));
  it("JSON that is not an object → 400", () => expectError(importSession("[1,2]"), 400, "bad_request"));
  it("non-string session → 400", () => expectError(importSession('{"session":42}'), 400, "bad_request", "session"));
  it("empty session → 400", () => expectError(importSession('{"session":""}'), 400, "bad_request"));
  it("invalid base64 → 400 session_malformed", () => expectError(sendExported("%%% not base64 %%%"), 400, "session_malformed", "base64"));
  it("base64 of something that is not JSON → 400 session_malformed", () =>
    expectError(sendExported(base64("hello, world")), 400, "session_malformed", "JSON"));

  const complete = { userId: "u1", wallets: {}, currentWalletIds: {} };
  for (const field of ["userId", "wallets", "currentWalletIds"] as const) {
    it(`JSON without ${field} → 400 session_malformed naming it`, () => {
      const { [field]: _omitted, ...rest } = complete;
      return expectError(sendExported(exported(rest)), 400, "session_malformed", field);
    });
  }
  it("wallets of the wrong shape → 400 session_malformed", () =>
    expectError(sendExported(exported({ ...complete, wallets: { w: { id: 7 } } })), 400, "session_malformed", "wallets"));

  it("JSON nested far deeper than an exported session → 400 session_malformed, before Para is asked", () => {
    let nested: unknown = "x";
    for (let i = 0; i < 40; i++) nested = { n: nested };
    const deep = exported({ ...complete, sessionCookie: "capsule.sid=x", wallets: { w: { id: "w", extra: nested } } });
    return expectError(sendExported(deep), 400, "session_malformed", "nested");
  });

  it("1 MB body → 413", () => expectError(importSession(JSON.stringify({ session: "A".repeat(1024 * 1024) })), 413, "payload_too_large"));

  it("1 MB streamed without Content-Length → 413, counted as it arrives", async () => {
    // Its own socket (not fetch's pool): the server answers before the body is done and drops the connection.
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(`${new AppClient().baseUrl}/api/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
      });
      request.on("response", (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
      });
      request.on("error", reject);
      request.write('{"session":"');
      for (let i = 0; i < 16; i++) request.write("A".repeat(64 * 1024));
      request.end('"}');
    });
    expect(status).toBe(413);
    expect((JSON.parse(body) as ErrorBody).error.code).toBe("payload_too_large");
  });
});

describe("state-changing requests from another origin are refused", () => {
  it("cross-origin POST → 403", async () => {
    const minted = await mintSession({ email: `cross-${Date.now()}@example.com` });
    const client = new AppClient();
    await expectError(
      client.request("POST", "/api/session", { json: { session: minted.session }, headers: { origin: "http://evil.example" } }),
      403,
      "cross_origin",
    );
    expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
  });
  it("cross-site fetch metadata → 403", () =>
    expectError(
      new AppClient().request("POST", "/api/session/verify", {
        json: { verificationToken: "t" },
        headers: { "sec-fetch-site": "cross-site" },
      }),
      403,
      "cross_origin",
    ));
  it("cross-origin DELETE → 403", () =>
    expectError(new AppClient().request("DELETE", "/api/session", { headers: { origin: "https://evil.example" } }), 403, "cross_origin"));
  it("a same-origin browser request passes the check", async () => {
    const client = new AppClient();
    const response = await client.request("POST", "/api/session/verify", {
      json: {},
      headers: { origin: client.baseUrl, "sec-fetch-site": "same-origin" },
    });
    expect(response.status).toBe(400);
  });
});

describe("cookies the app did not seal are ignored", () => {
  it("a tampered cookie reads as no session (401)", async () => {
    const minted = await mintSession({ email: `tamper-${Date.now()}@example.com` });
    const client = new AppClient();
    expect((await client.request("POST", "/api/session", { json: { session: minted.session } })).status).toBe(200);
    const sealed = client.cookies.get(SESSION_COOKIE)!;
    const tampered = sealed.slice(0, 20) + (sealed[20] === "a" ? "b" : "a") + sealed.slice(21);
    await expectError(client.request("GET", "/api/session", { headers: { cookie: `${SESSION_COOKIE}=${tampered}` } }), 401, "unauthorized");
  });

  it("a cookie sealed with another secret reads as no session (401)", async () => {
    const forged = await sealData(
      {
        sid: "forged",
        userId: "someone",
        authType: "email",
        identifier: "x@example.com",
        path: "import",
        validatedAt: new Date().toISOString(),
      },
      { password: { 1: "another-secret-that-is-at-least-32-characters-long" } },
    );
    await expectError(
      new AppClient().request("GET", "/api/session", { headers: { cookie: `${SESSION_COOKIE}=${forged}` } }),
      401,
      "unauthorized",
    );
  });
});

describe("unknown API routes", () => {
  it("answer 404 in the same JSON shape", () => expectError(new AppClient().request("GET", "/api/no-such-thing"), 404, "not_found"));
});
