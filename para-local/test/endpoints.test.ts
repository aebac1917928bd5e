// Malformed and unauthorised calls to the wallet, pregen, JWT and test-control endpoints:
// each answers a precise 4xx, and none answers 500.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { api, control, mintSession, PARTNER_ID, walletOf } from "../testing/index.js";

const UNKNOWN = randomUUID();

describe("wallet endpoints refuse what they should", () => {
  it("bad JSON is a 400", async () => {
    const minted = await mintSession();
    const cookie = minted.sessionCookie;
    const evm = walletOf(minted, "EVM").id;
    for (const path of [
      "/wallets/pregen",
      `/users/${minted.userId}/wallets`,
      `/users/${minted.userId}/wallets/${evm}/messages/sign`,
      `/local/wallets/${evm}/public-key`,
    ]) {
      expect((await api("POST", path, { cookie, body: "{oops" })).status, path).toBe(400);
      expect((await api("POST", path, { cookie, body: "[1,2]" })).status, path).toBe(400);
    }
    expect((await api("PATCH", `/wallets/pregen/${UNKNOWN}`, { body: "{oops" })).status).toBe(400);
  });

  it("unknown wallets are 404", async () => {
    const minted = await mintSession();
    const cookie = minted.sessionCookie;
    const body = { message: "aGk=", transaction: "aGk=", pregenIdentifier: "a@b.co", pregenIdentifierType: "EMAIL", publicKey: "0x00" };
    expect((await api("POST", `/users/${minted.userId}/wallets/${UNKNOWN}/messages/sign`, { cookie, body })).status).toBe(404);
    expect((await api("POST", `/users/${minted.userId}/wallets/${UNKNOWN}/transactions/sign`, { cookie, body })).status).toBe(404);
    expect((await api("POST", `/users/${PARTNER_ID}/wallets/${UNKNOWN}/messages/sign`, { body })).status).toBe(404);
    expect((await api("POST", `/local/wallets/${UNKNOWN}/public-key`, { cookie, body })).status).toBe(404);
    expect((await api("PATCH", `/wallets/pregen/${UNKNOWN}`, { body })).status).toBe(404);
  });

  it("another user's wallet is 403; no session is 401", async () => {
    const alice = await mintSession();
    const bob = await mintSession();
    const bobsWallet = walletOf(bob, "EVM").id;
    const body = { message: "aGk=", transaction: "aGk=" };
    const asAlice = { cookie: alice.sessionCookie, body };
    expect((await api("POST", `/users/${alice.userId}/wallets/${bobsWallet}/messages/sign`, asAlice)).status).toBe(403);
    expect((await api("POST", `/users/${alice.userId}/wallets/${bobsWallet}/transactions/sign`, asAlice)).status).toBe(403);
    expect((await api("POST", `/users/${bob.userId}/wallets/${bobsWallet}/messages/sign`, asAlice)).status).toBe(403);
    expect((await api("GET", `/users/${bob.userId}/wallets`, { cookie: alice.sessionCookie })).status).toBe(403);
    expect(
      (await api("POST", `/local/wallets/${bobsWallet}/public-key`, { cookie: alice.sessionCookie, body: { publicKey: "0x00" } })).status,
    ).toBe(403);
    // The partner signs only unclaimed pregen wallets.
    expect((await api("POST", `/users/${PARTNER_ID}/wallets/${bobsWallet}/messages/sign`, { body })).status).toBe(403);
    expect((await api("POST", `/users/${bob.userId}/wallets/${bobsWallet}/messages/sign`, { body })).status).toBe(401);
    expect((await api("GET", `/users/${bob.userId}/wallets`)).status).toBe(401);
  });

  it("a wallet's public key is set once, and must be a valid key", async () => {
    const minted = await mintSession();
    const cookie = minted.sessionCookie;
    const created = await api("POST", `/users/${minted.userId}/wallets`, { cookie, body: { type: "EVM", scheme: "DKLS" } });
    const { walletId } = JSON.parse(created.text) as { walletId: string };
    const path = `/local/wallets/${walletId}/public-key`;
    expect((await api("POST", path, { cookie, body: { publicKey: "0x1234" } })).status).toBe(400);
    expect((await api("POST", path, { cookie, body: { publicKey: "not hex" } })).status).toBe(400);
    // A signature before keygen finished is refused.
    expect(
      (await api("POST", `/users/${minted.userId}/wallets/${walletId}/messages/sign`, { cookie, body: { message: "aGk=" } })).status,
    ).toBe(409);
    const key = "0x0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"; // secp256k1's generator, compressed
    const set = await api("POST", path, { cookie, body: { publicKey: key } });
    expect(set.status).toBe(200);
    expect(JSON.parse(set.text)).toEqual({ walletId, address: "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf" });
    expect((await api("POST", path, { cookie, body: { publicKey: key } })).status).toBe(409);
  });

  it("invalid wallet and pregen fields are 400", async () => {
    const minted = await mintSession();
    const cookie = minted.sessionCookie;
    const wallets = `/users/${minted.userId}/wallets`;
    expect((await api("POST", wallets, { cookie, body: { type: "BITCOIN" } })).status).toBe(400);
    expect((await api("POST", wallets, { cookie, body: { type: "SOLANA", scheme: "DKLS" } })).status).toBe(400);
    const pregen = (body: unknown) => api("POST", "/wallets/pregen", { body });
    expect((await pregen({ type: "EVM", pregenIdentifierType: "EMAIL", pregenIdentifier: "not-an-email" })).status).toBe(400);
    expect((await pregen({ type: "EVM", pregenIdentifierType: "PHONE", pregenIdentifier: "12" })).status).toBe(400);
    expect((await pregen({ type: "EVM", pregenIdentifierType: "SSN", pregenIdentifier: "x" })).status).toBe(400);
    expect((await pregen({ type: "EVM", pregenIdentifierType: "CUSTOM_ID", pregenIdentifier: "" })).status).toBe(400);
    expect((await pregen({ type: 7, pregenIdentifierType: "CUSTOM_ID", pregenIdentifier: "x" })).status).toBe(400);
    expect((await api("GET", "/wallets/pregen")).status).toBe(400);
    expect((await api("GET", "/wallets/pregen?ids[SSN][0]=1")).status).toBe(400);
    expect((await api("GET", "/wallets/pregen?ids[EMAIL][0]=nobody%40para-local.test&expand=false")).text).toBe('{"wallets":[]}');
    // Without the partner's API key nothing answers.
    expect((await api("GET", "/wallets/pregen?ids[EMAIL][0]=a%40b.co", { apiKey: null })).status).toBe(403);
  });

  it("the JWT endpoint needs a signed-in session", async () => {
    expect((await api("POST", "/auth/jwt", { body: { keyIndex: 0 } })).status).toBe(401);
    const jwks = await api("GET", "/.well-known/jwks.json", { apiKey: null });
    expect(jwks.status).toBe(200);
    expect(JSON.parse(jwks.text).keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
  });
});

describe("no input makes para-local answer 500", () => {
  /** Not a JSON object: always a 400. */
  const malformed = ["null", "[]", '"text"', "{oops"];
  /** Well-formed but empty or wrongly typed: refused, or (an empty JWT request) served. */
  const odd = ["", "{}", '{"type":{},"pregenIdentifier":[],"pregenIdentifierType":1,"publicKey":{},"message":7,"ms":null,"keyIndex":[]}'];

  it("every wallet, pregen, JWT and control route answers junk without a 500", async () => {
    const minted = await mintSession();
    const wallet = walletOf(minted, "EVM").id;
    const routes: [string, string][] = [
      ["POST", "/wallets/pregen"],
      ["PATCH", `/wallets/pregen/${wallet}`],
      ["POST", `/users/${minted.userId}/wallets`],
      ["POST", `/local/wallets/${wallet}/public-key`],
      ["POST", `/users/${minted.userId}/wallets/${wallet}/messages/sign`],
      ["POST", `/users/${minted.userId}/wallets/${wallet}/transactions/sign`],
      ["POST", `/users/${PARTNER_ID}/wallets/${wallet}/messages/sign`],
      ["POST", "/auth/jwt"],
      ["POST", "/test/session-length"],
      ["POST", "/test/clock"],
      ["POST", "/test/sessions/expire"],
      ["POST", "/test/sessions"],
    ];
    for (const [method, path] of routes) {
      for (const body of [...malformed, ...odd]) {
        const { status, text } = await api(method, path, { cookie: minted.sessionCookie, body });
        const call = `${method} ${path} ${body} → ${status} ${text.slice(0, 80)}`;
        expect(status, call).toBeLessThan(500);
        if (malformed.includes(body)) expect(status, call).toBe(400);
      }
    }
  });
});

describe("test controls validate their input", () => {
  it.each([
    ["/session-length", { ms: -1 }],
    ["/session-length", { ms: "60000" }],
    ["/clock", { advanceMs: 1.5 }],
    ["/clock", {}],
    ["/sessions/expire", {}],
    ["/sessions/expire", { userId: "a", sessionCookie: "b" }],
    ["/sessions", { email: "nope" }],
    ["/sessions", { phone: "5555550123" }],
    ["/sessions", { email: "a@b.co", phone: "+15555550123" }],
  ])("%s %j is a 400", async (path, body) => {
    await expect(control(path, body)).rejects.toThrow(/answered 400/);
  });

  it("bad JSON is a 400, unknown sessions and users are 404, a taken identifier is 409", async () => {
    expect((await api("POST", "/test/sessions", { apiKey: null, body: "{oops" })).status).toBe(400);
    await expect(control("/sessions/expire", { userId: UNKNOWN })).rejects.toThrow(/answered 404/);
    await expect(control("/sessions/expire", { sessionCookie: "capsule.sid=nope" })).rejects.toThrow(/answered 404/);
    const minted = await mintSession();
    await expect(mintSession({ email: minted.identifier })).rejects.toThrow(/answered 409/);
    await expect(control("/sessions/expire", { sessionCookie: minted.sessionCookie })).resolves.toEqual({ expired: 1 });
  });
});

describe("CORS, as the browser SDK needs it", () => {
  it("a preflight allows every header the SDK sends (x-partner-config-override included) and exposes the session header", async () => {
    const sent = ["x-external-api-key", "x-capsule-sid", "x-para-version", "content-type", "x-partner-config-override"];
    const response = await fetch("http://localhost:8080/touch", {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:3000",
        "access-control-request-method": "POST",
        "access-control-request-headers": sent.join(","),
      },
    });
    expect(response.status).toBeLessThan(300);
    const allowed = (response.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/\s*,\s*/);
    for (const header of sent) expect(allowed).toContain(header);
    expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
    const touched = await fetch("http://localhost:8080/touch", {
      method: "POST",
      headers: { origin: "http://localhost:3000", "x-external-api-key": "para-local-key" },
    });
    expect(touched.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("x-capsule-sid");
  });
});
