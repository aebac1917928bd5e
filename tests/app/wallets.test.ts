import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { expireUserSessions, mintSession, newParaServer, quietSdkLogs } from "../../para-local/testing";
import { AppClient, answeredBodies, type ErrorBody } from "./client";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";

quietSdkLogs();
const paraLocal = paraLocalForThisFile();

interface PregenWalletView {
  id: string;
  identifier: { type: "email" | "phone" | "customId"; value: string };
  wallets: { type: "EVM" | "SOLANA" | "COSMOS"; address: string }[];
  createdAt: string;
}

const unique = () => randomUUID().slice(0, 8);

/** A client holding a freshly minted user's session, imported by the app (with signers). */
async function signedInUser() {
  const minted = await mintSession({ email: `owner-${unique()}@example.com` });
  const client = new AppClient();
  const response = await client.request("POST", "/api/session", { json: { session: minted.session } });
  expect(response.status, response.text).toBe(200);
  return { client, minted };
}

const create = (client: AppClient, identifier: unknown) =>
  client.request<PregenWalletView & ErrorBody>("POST", "/api/wallets/pregen", { json: { identifier } });

async function expectError(
  response: Promise<{ status: number; body: unknown; text: string }>,
  status: number,
  code: string,
  mentions?: string,
) {
  const { status: actual, body, text } = await response;
  expect(actual, text).toBe(status);
  expect((body as ErrorBody).error.code).toBe(code);
  if (mentions) expect((body as ErrorBody).error.message).toContain(mentions);
}

describe("POST /api/wallets/pregen", () => {
  it("creates EVM, Solana and Cosmos wallets at Para for the identifier and answers their addresses", async () => {
    const { client } = await signedInUser();
    const email = `Pregen-${unique()}@Example.com`;
    const response = await create(client, { type: "email", value: `  ${email} ` });
    expect(response.status, response.text).toBe(201);
    const view = response.body;
    expect(view.id).toEqual(expect.any(String));
    // Stored and answered normalized: trimmed, lower-case.
    expect(view.identifier).toEqual({ type: "email", value: email.toLowerCase() });
    expect(view.wallets.map((w) => w.type)).toEqual(["EVM", "SOLANA", "COSMOS"]);
    const address = Object.fromEntries(view.wallets.map((w) => [w.type, w.address]));
    expect(address.EVM).toMatch(/^0x[0-9a-fA-F]{40}$/);
    expect(address.SOLANA).toMatch(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/);
    expect(address.COSMOS).toMatch(/^cosmos1[02-9ac-hj-np-z]{38}$/);

    // Para (para-local) has them, under the normalized identifier.
    const atPara = await newParaServer().getPregenWallets({ pregenId: { email: email.toLowerCase() } });
    expect(atPara.map((w) => w.type).sort()).toEqual(["COSMOS", "SOLANA"]); // one secp256k1 wallet serves EVM and Cosmos
    expect(atPara.map((w) => w.address)).toContain(address.EVM);
    expect(atPara.map((w) => w.address)).toContain(address.SOLANA);
  });

  it("accepts a phone number, stored in international form", async () => {
    const { client } = await signedInUser();
    const digits = String(Math.floor(1000 + Math.random() * 9000));
    const response = await create(client, { type: "phone", value: ` +1 (555) 555-${digits} ` });
    expect(response.status, response.text).toBe(201);
    expect(response.body.identifier).toEqual({ type: "phone", value: `+1555555${digits}` });
  });

  it("accepts a custom id", async () => {
    const { client } = await signedInUser();
    const value = `customer:42-${unique()}`;
    const response = await create(client, { type: "customId", value: ` ${value} ` });
    expect(response.status, response.text).toBe(201);
    expect(response.body.identifier).toEqual({ type: "customId", value });
  });

  it("answers 409 for an identifier that already has wallets, whoever created them", async () => {
    const first = await signedInUser();
    const second = await signedInUser();
    const identifier = { type: "customId", value: `taken-${unique()}` };
    expect((await create(first.client, identifier)).status).toBe(201);
    await expectError(create(first.client, identifier), 409, "conflict");
    await expectError(create(second.client, identifier), 409, "conflict");
  });

  it("answers 409 when Para already has wallets for the identifier that the app does not know", async () => {
    const { client } = await signedInUser();
    const value = `made-elsewhere-${unique()}`;
    await newParaServer().createPregenWallet({ type: "SOLANA", pregenId: { customId: value } });
    await expectError(create(client, { type: "customId", value }), 409, "conflict");
  });

  describe("answers 400 for bad identifiers", () => {
    const cases: [string, unknown, string][] = [
      ["no identifier", undefined, "identifier"],
      ["an unknown type", { type: "twitter", value: "someone" }, "identifier.type"],
      ["a string", "someone@example.com", "identifier"],
      ["an invalid email", { type: "email", value: "not-an-email" }, "email"],
      ["an email that is too long", { type: "email", value: `${"a".repeat(250)}@example.com` }, "254"],
      ["a phone without country code", { type: "phone", value: "555-0100" }, "phone"],
      ["a phone with letters", { type: "phone", value: "+1555CALLNOW" }, "phone"],
      ["an empty custom id", { type: "customId", value: "   " }, "customId"],
      ["a custom id with spaces", { type: "customId", value: "two words" }, "customId"],
      ["a custom id that is too long", { type: "customId", value: "x".repeat(129) }, "128"],
      ["a value that is not a string", { type: "customId", value: 42 }, "identifier.value"],
    ];
    it.each(cases)("%s", async (_name, identifier, mentions) => {
      const { client } = await signedInUser();
      const json = identifier === undefined ? {} : { identifier };
      await expectError(client.request("POST", "/api/wallets/pregen", { json }), 400, "bad_request", mentions);
    });
  });

  it("answers 401 without a session, and 401 once Para has ended it", async () => {
    await expectError(create(new AppClient(), { type: "customId", value: `anon-${unique()}` }), 401, "unauthorized");
    const { client, minted } = await signedInUser();
    await expireUserSessions(minted.userId);
    await expectError(create(client, { type: "customId", value: `ended-${unique()}` }), 401, "session_expired");
  });

  it("answers 409 on the token path: only an imported session may create wallets", async () => {
    const minted = await mintSession({ email: `token-${unique()}@example.com` });
    const para = newParaServer();
    await para.importSession(minted.session);
    const client = new AppClient();
    const verified = await client.request("POST", "/api/session/verify", {
      json: { verificationToken: await para.getVerificationToken() },
    });
    expect(verified.status).toBe(200);
    await expectError(create(client, { type: "customId", value: `token-${unique()}` }), 409, "session_not_imported");
  });

  it("answers 429 past the per-user limit, counting requests sent in parallel", async () => {
    const { client } = await signedInUser();
    const responses = await Promise.all(Array.from({ length: 8 }, () => create(client, { type: "customId", value: `limit-${unique()}` })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses, responses.map((r) => r.text).join("\n")).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
    const limited = responses.find((r) => r.status === 429)!;
    expect(limited.body.error.code).toBe("rate_limited");
    // Refused requests made nothing: exactly five sets are listed.
    const list = await client.request<{ pregenWallets: PregenWalletView[] }>("GET", "/api/wallets/pregen");
    expect(list.body.pregenWallets).toHaveLength(5);
    // Another user is not affected by this one's limit.
    expect((await create((await signedInUser()).client, { type: "customId", value: `limit-other-${unique()}` })).status).toBe(201);
  });
});

describe("POST /api/wallets/pregen, attempts", () => {
  /** The day's attempts per user (lib/wallets/attempts.ts). */
  const ATTEMPTS_PER_DAY = 5;
  /**
   * What one attempt for an identifier Para has costs at Para: a server SDK instance's start-up
   * (five calls: `/touch`, `/partners/:id`, `/touch` twice, `/logout`) and the lookup. No signing instance, so no key generation.
   */
  const CALLS_PER_REFUSED_ATTEMPT = 6;
  const REQUESTS = 25;

  it("counts refused ones: for an identifier Para already has, 409 until the day's attempts are used, then 429 before Para is asked about it", async () => {
    const { client } = await signedInUser();
    const value = `taken-at-para-${unique()}`;
    await newParaServer().createPregenWallet({ type: "SOLANA", pregenId: { customId: value } });
    const store = paraLocal.current!.store;
    const before = store.apiRequests;
    const responses = [];
    for (let i = 0; i < REQUESTS; i++) responses.push(await create(client, { type: "customId", value }));

    const statuses = responses.map((response) => response.status);
    expect(statuses).toEqual([...Array(ATTEMPTS_PER_DAY).fill(409), ...Array(REQUESTS - ATTEMPTS_PER_DAY).fill(429)]);
    const limited = responses.at(-1)!;
    expect(limited.body.error.code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const calls = store.requestLog.slice(-(store.apiRequests - before) || Infinity);
    expect(calls.filter((call) => call.method === "GET" && call.path === "/wallets/pregen")).toHaveLength(ATTEMPTS_PER_DAY);
    expect(calls.filter((call) => call.method === "POST" && call.path === "/wallets/pregen")).toHaveLength(0);
    // Each request checks its session with Para (one /touch); beyond that only the attempts within the limit reach Para.
    expect(calls.length, calls.map((call) => `${call.method} ${call.path}`).join("\n")).toBeLessThanOrEqual(
      REQUESTS + ATTEMPTS_PER_DAY * CALLS_PER_REFUSED_ATTEMPT,
    );
  });
});

describe("GET /api/wallets/pregen", () => {
  it("lists the caller's sets only, with addresses and never a share", async () => {
    const alice = await signedInUser();
    const bob = await signedInUser();
    const a1 = (await create(alice.client, { type: "customId", value: `alice-1-${unique()}` })).body;
    const a2 = (await create(alice.client, { type: "email", value: `alice-${unique()}@example.com` })).body;
    const b1 = (await create(bob.client, { type: "customId", value: `bob-${unique()}` })).body;

    const aliceList = await alice.client.request<{ pregenWallets: PregenWalletView[] }>("GET", "/api/wallets/pregen");
    expect(aliceList.status).toBe(200);
    expect(aliceList.body.pregenWallets).toEqual([a1, a2]);
    const bobList = await bob.client.request<{ pregenWallets: PregenWalletView[] }>("GET", "/api/wallets/pregen");
    expect(bobList.body.pregenWallets).toEqual([b1]);
    expect(aliceList.text).not.toMatch(/share|signer|privateKey/i);
  });

  it("answers 401 without a session", () => expectError(new AppClient().request("GET", "/api/wallets/pregen"), 401, "unauthorized"));
});

describe("GET /api/wallets/pregen/[id]", () => {
  it("answers the set to its owner, 403 to another user, 404 for an unknown id", async () => {
    const alice = await signedInUser();
    const bob = await signedInUser();
    const created = (await create(alice.client, { type: "customId", value: `one-${unique()}` })).body;
    const own = await alice.client.request<PregenWalletView>("GET", `/api/wallets/pregen/${created.id}`);
    expect(own.status).toBe(200);
    expect(own.body).toEqual(created);
    await expectError(bob.client.request("GET", `/api/wallets/pregen/${created.id}`), 403, "forbidden");
    await expectError(alice.client.request("GET", "/api/wallets/pregen/no-such-id"), 404, "not_found");
    await expectError(new AppClient().request("GET", `/api/wallets/pregen/${created.id}`), 401, "unauthorized");
  });
});

describe("secrets", () => {
  it("no answer and no log line carries a share, a signer or a private key", async () => {
    const last = await new AppClient().request("GET", "/api/health");
    const log = () => readFileSync(inject("appLog"), "utf8");
    await expect.poll(() => log().includes(last.headers.get("x-request-id")!), { timeout: 10_000 }).toBe(true);
    expect(answeredBodies.length).toBeGreaterThan(20);
    for (const haystack of [...answeredBodies, log()]) {
      expect(haystack).not.toMatch(/para-local-signer|privateKey|"signer"|userShare/);
    }
  });
});
