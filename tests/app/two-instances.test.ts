import { randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { Client } from "pg";
import { advanceClock, mintSession, quietSdkLogs } from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import { AppClient, type ErrorBody, randomAddress } from "./client";
import { instancesForThisFile, postgresForThisFile } from "./own-app";

// Two instances of the app on one Postgres, as Vercel runs many: what one counts, the other sees.

quietSdkLogs();
const paraLocal = paraLocalForThisFile();
const postgres = postgresForThisFile();

let databaseUrl: string;
const OLD_KEY = randomBytes(32).toString("base64");
const NEW_KEY = randomBytes(32).toString("base64");
// Secrets as a deployment sets them: the same on every instance, until a rotation rolls through.
const SESSION_SECRET = randomBytes(32).toString("base64");
const instances = instancesForThisFile([3108, 3109], () => ({ DATABASE_URL: databaseUrl, SESSION_SECRET }));

/** (Re)starts instance `i` with these data keys, on its port and the shared Postgres. */
const startInstance = (i: 0 | 1, keys: { DATA_ENCRYPTION_KEY: string; DATA_ENCRYPTION_KEY_ID?: string }) => instances.start(i, keys);

beforeAll(async () => {
  if (!postgres.available) return;
  databaseUrl = await postgres.database("app_two_instances");
  await startInstance(0, { DATA_ENCRYPTION_KEY: OLD_KEY });
  await startInstance(1, { DATA_ENCRYPTION_KEY: OLD_KEY });
}, 120_000);

/** A client of one of this file's instances; `at` points it (and its cookies) at the other, as a load balancer would. */
function clientOf(instance: 0 | 1, address: string): AppClient {
  return at(new AppClient(address), instance);
}

function at(client: AppClient, instance: 0 | 1): AppClient {
  Object.defineProperty(client, "baseUrl", { value: instances.url(instance), configurable: true });
  return client;
}

const invented = () =>
  Buffer.from(
    JSON.stringify({
      userId: randomUUID(),
      wallets: { w1: { id: "w1", type: "EVM" } },
      currentWalletIds: { EVM: ["w1"] },
      sessionCookie: `capsule.sid=s%3A${randomBytes(24).toString("base64url")}`,
    }),
  ).toString("base64");

describe.skipIf(!postgres.available)("two instances on one Postgres", () => {
  it("share the per-address limit on refused sign-ins: 10 refused on each, and the next is 429 on both", async () => {
    const address = randomAddress();
    const before = paraLocal.current!.store.apiRequests;
    for (const instance of [0, 1] as const) {
      for (let i = 0; i < 10; i++) {
        const response = await clientOf(instance, address).request("POST", "/api/session", { json: { session: invented() } });
        expect(response.status, response.text).toBe(401);
      }
    }
    for (const instance of [0, 1] as const) {
      const response = await clientOf(instance, address).request<ErrorBody>("POST", "/api/session", { json: { session: invented() } });
      expect(response.status, response.text).toBe(429);
      expect(response.body.error.code).toBe("rate_limited");
    }
    // Each instance learns its partner id once; then, per refused session, a new ParaServer's 5 calls and isSessionActive()'s /touch.
    expect(paraLocal.current!.store.apiRequests - before).toBeLessThanOrEqual(20 * 6 + 2);
    // Another address is not limited on either.
    const other = await clientOf(1, randomAddress()).request("POST", "/api/session", { json: { session: invented() } });
    expect(other.status).toBe(401);
  });

  it("a data-key rotation in two steps loses no row; an instance that meets a newer key answers 503 and deletes nothing", async () => {
    const user = await mintSession({ email: `rotation-${randomUUID().slice(0, 8)}@example.com` });
    const browser = clientOf(0, randomAddress());
    expect((await browser.request("POST", "/api/session", { json: { session: user.session } })).status).toBe(200);
    // A keep-alive that moves the end writes the row again, sealed under that instance's sealing key.
    const keepAliveOn = async (instance: 0 | 1) => {
      await advanceClock(60_000);
      const kept = await at(browser, instance).request<{ extended: boolean }>("POST", "/api/session/keep-alive");
      expect(kept.status, kept.text).toBe(200);
      expect(kept.body.extended).toBe(true);
    };
    const check = (instance: 0 | 1) => at(browser, instance).request<ErrorBody>("GET", "/api/session");

    // Step 1: instance 1 learns the new key for opening only, and still seals under the old one.
    await startInstance(1, { DATA_ENCRYPTION_KEY: `2=${NEW_KEY},1=${OLD_KEY}`, DATA_ENCRYPTION_KEY_ID: "1" });
    await keepAliveOn(1);
    expect(await sealedKeyIds()).toEqual([1]);
    expect((await check(0)).status).toBe(200); // instance 0 has only the old key, and opens it

    // Without the first step: an instance that seals under a key another does not have yet.
    await startInstance(1, { DATA_ENCRYPTION_KEY: `2=${NEW_KEY},1=${OLD_KEY}` });
    await keepAliveOn(1);
    expect(await sealedKeyIds()).toEqual([2]);
    const unknown = await check(0);
    expect(unknown.status, unknown.text).toBe(503);
    expect(unknown.body.error.code).toBe("service_unavailable");
    expect(unknown.headers.get("retry-after")).not.toBeNull();
    expect(await sealedKeyIds()).toEqual([2]); // the row stays
    expect((await check(1)).status).toBe(200);

    // Step 2, done in order: every instance knows the new key, then it seals.
    await startInstance(0, { DATA_ENCRYPTION_KEY: `2=${NEW_KEY},1=${OLD_KEY}` });
    expect((await check(0)).status).toBe(200);
    expect((await check(1)).status).toBe(200);
  });
});

/** The key id each stored session is sealed under, as the database holds them. */
async function sealedKeyIds(): Promise<number[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ sealed_session: string }>("select sealed_session from para_sessions where path = 'import'");
    return rows.map((row) => Number(row.sealed_session.split(".")[1]));
  } finally {
    await client.end();
  }
}
