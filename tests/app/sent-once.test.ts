import { randomUUID } from "node:crypto";
import { type Address, createPublicClient, http } from "viem";
import { hardhat } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalChain, startLocalChain } from "../../local-chain/start";
import { delayRequests, injectFault, type MintedSession, mintSession, quietSdkLogs, walletOf } from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import { type AppClient, type ErrorBody, withoutSigners } from "./client";
import { ownAppForThisFile, postgresForThisFile } from "./own-app";

// Nothing sent twice: a transaction the server broadcast is answered as sent even when the
// database goes away right after, and a retry with the same Idempotency-Key signs nothing new —
// counted on the local chain's nonce. The app on a Postgres of its own (which the test stops) and
// a local chain of its own.

quietSdkLogs();
const paraLocal = paraLocalForThisFile();
const postgres = postgresForThisFile();

let chain: LocalChain;
let rpc: ReturnType<typeof createPublicClient>;

beforeAll(async () => {
  if (!postgres.available) return;
  chain = await startLocalChain({ rpcPort: 18547, bundlerPort: 14339 });
  rpc = createPublicClient({ chain: hardhat, transport: http(chain.rpcUrl) });
}, 120_000);
afterAll(async () => {
  await chain?.stop();
});
const { Client: OnceAppClient } = ownAppForThisFile(
  3110,
  async () => ({ DATABASE_URL: await postgres.database("app_sent_once"), ...chain.env }),
  { skip: !postgres.available },
);
type OnceAppClient = InstanceType<typeof OnceAppClient>;

interface Signed {
  address: Address;
  broadcast: { status: string; transactionId?: string };
}

async function signedIn(): Promise<{ user: MintedSession; client: OnceAppClient }> {
  const user = await mintSession({ email: `once-${randomUUID().slice(0, 8)}@example.com` });
  const client = new OnceAppClient();
  expect((await client.request("POST", "/api/session", { json: { session: user.session } })).status).toBe(200);
  return { user, client };
}

const sign = (client: AppClient, key?: string) =>
  client.request<Signed & ErrorBody>("POST", "/api/examples/viem/session", {
    headers: { "content-type": "application/json", ...(key ? { "idempotency-key": key } : {}) },
  });

interface PregenSet {
  id: string;
  wallets: { type: string; address: Address }[];
}

async function createSet(client: AppClient): Promise<PregenSet> {
  const created = await client.request<PregenSet>("POST", "/api/wallets/pregen", {
    json: { identifier: { type: "customId", value: `once-${randomUUID()}` } },
  });
  expect(created.status, created.text).toBe(201);
  return created.body;
}

const signPregen = (client: AppClient, setId: string, key: string) =>
  client.request<Signed & ErrorBody>("POST", "/api/examples/viem/pregen", {
    headers: { "content-type": "application/json", "idempotency-key": key },
    json: { setId },
  });

const nonceOf = (address: Address) => rpc.getTransactionCount({ address });

describe.skipIf(!postgres.available)("Idempotency-Key on signing routes", () => {
  it("a repeat answers the first answer and sends nothing new; another key sends again", async () => {
    const { user, client } = await signedIn();
    const address = walletOf(user, "EVM").address as Address;
    const key = randomUUID();
    const first = await sign(client, key);
    expect(first.status, first.text).toBe(200);
    expect(first.body.broadcast.status).toBe("included");
    const nonce = await nonceOf(address);

    const repeat = await sign(client, key);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(first.body);
    expect(repeat.headers.get("idempotent-replayed")).toBe("true");
    expect(await nonceOf(address)).toBe(nonce);

    expect((await sign(client, randomUUID())).body.broadcast.status).toBe("included");
    expect(await nonceOf(address)).toBe(nonce + 1);
  });

  it("the same key on another route is 409; a malformed key is 400; a refusal gives the key back", async () => {
    const { client } = await signedIn();
    const key = randomUUID();
    expect((await sign(client, key)).status).toBe(200);
    const elsewhere = await client.request<ErrorBody>("POST", "/api/examples/ethers/session", {
      headers: { "content-type": "application/json", "idempotency-key": key },
    });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.error.code).toBe("conflict");
    expect((await sign(client, "has spaces in it")).status).toBe(400);
  });

  it("the same key with another pregenerated set is 409 and sends nothing; with the same set it replays", async () => {
    const { client } = await signedIn();
    const [first, second] = [await createSet(client), await createSet(client)];
    const key = randomUUID();
    const signed = await signPregen(client, first.id, key);
    expect(signed.status, signed.text).toBe(200);
    expect((await signPregen(client, first.id, key)).headers.get("idempotent-replayed")).toBe("true");
    const other = await signPregen(client, second.id, key);
    expect([other.status, other.body.error.code]).toEqual([409, "conflict"]);
    expect(await nonceOf(second.wallets.find((wallet) => wallet.type === "EVM")!.address)).toBe(0);
  });

  it("Para busy before anything was signed (503) gives the key back: the retry with the same key signs", async () => {
    const { client } = await signedIn();
    const key = randomUUID();
    await injectFault({ method: "POST", path: "/touch", status: 429, message: "rate limited" });
    const busy = await sign(client, key);
    expect(busy.status, busy.text).toBe(503);
    const retried = await sign(client, key);
    expect(retried.status, retried.text).toBe(200);
    expect(retried.headers.get("idempotent-replayed")).toBeNull();
    expect((await sign(client, key)).headers.get("idempotent-replayed")).toBe("true");
  });

  it("a refusal before anything was signed gives the key back: fixed, the same key signs", async () => {
    const user = await mintSession({ email: `once-${randomUUID().slice(0, 8)}@example.com` });
    const client = new OnceAppClient();
    expect((await client.request("POST", "/api/session", { json: { session: withoutSigners(user.session) } })).status).toBe(200);
    const key = randomUUID();
    const refused = await sign(client, key);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("signers_required");
    expect((await client.request("POST", "/api/session", { json: { session: user.session } })).status).toBe(200);
    const signed = await sign(client, key);
    expect(signed.status, signed.text).toBe(200);
    expect(signed.headers.get("idempotent-replayed")).toBeNull();
  });

  it("the database gone right after the broadcast: answered as sent, not 'retry'; the retry with the same key sends nothing", async () => {
    const { user, client } = await signedIn();
    const address = walletOf(user, "EVM").address as Address;
    const before = await nonceOf(address);
    const key = randomUUID();
    // Hold the transaction's signature at Para long enough to stop Postgres while the app waits for it.
    await delayRequests({ method: "POST", path: "/users/:signerId/wallets/:walletId/transactions/sign", ms: 1_500 });
    const answering = sign(client, key);
    await expect.poll(() => paraLocal.current!.store.delays.at(-1)?.remaining, { timeout: 10_000, interval: 50 }).toBe(0);
    postgres.pause();
    let answer: Awaited<typeof answering>;
    try {
      answer = await answering;
    } finally {
      postgres.resume();
    }
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.broadcast.status).toBe("included");
    expect(await nonceOf(address)).toBe(before + 1);

    await expect.poll(async () => (await client.request("GET", "/api/health")).status, { timeout: 30_000 }).toBe(200);
    // The answer could not be recorded, so the key stays taken: 409, and no second transaction.
    const retry = await sign(client, key);
    expect(retry.status, retry.text).toBe(409);
    expect(await nonceOf(address)).toBe(before + 1);
  });
});
