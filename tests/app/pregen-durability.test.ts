import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { delayRequests, mintSession, quietSdkLogs } from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import type { AppClient, ErrorBody } from "./client";
import { ownAppForThisFile, postgresForThisFile } from "./own-app";

// The app on a Postgres of its own, stopped while Para makes a pregenerated set (para-local holds
// the creation) and started again a moment after Para has made it: the share Para's answer carries
// is stored once the database is back, in time (201) and after the time limit (504, then listed),
// instead of being lost while Para keeps the wallets. tests/lib/pregen-durability.test.ts covers
// a share the database never takes.

quietSdkLogs();
const paraLocal = paraLocalForThisFile();
const postgres = postgresForThisFile();

const PORT = 3114;
/** The app's time limit for one call to Para (PARA_TIMEOUT_MS). */
const TIMEOUT_MS = 10_000;
/**
 * How long Postgres stays down once para-local has answered the set's last call: the app writes the
 * share right after it, so that write meets the outage (the SDK's polls for the addresses take part of it).
 */
const OUTAGE_AFTER_PARA_MS = 2_500;

const { Client: DurabilityClient } = ownAppForThisFile(
  PORT,
  async () => ({ DATABASE_URL: await postgres.database("app_pregen_durability"), PARA_TIMEOUT_MS: String(TIMEOUT_MS) }),
  { skip: !postgres.available },
);

async function signedIn() {
  const client = new DurabilityClient();
  const response = await client.request("POST", "/api/session", { json: { session: (await mintSession()).session } });
  expect(response.status, response.text).toBe(200);
  return client;
}

const identifierFor = (name: string) => ({ type: "customId", value: `${name}-${randomUUID().slice(0, 8)}` });

/**
 * Stops Postgres once para-local holds the app's (delayed) creation, and starts it again
 * OUTAGE_AFTER_PARA_MS after para-local has made both wallets of the set (one per scheme) and
 * answered every call since.
 */
async function stopPostgresWhileParaCreates(): Promise<void> {
  const store = paraLocal.current!.store;
  const mark = store.apiRequests;
  await expect.poll(() => store.delays.some((delay) => delay.remaining > 0), { timeout: 10_000, interval: 20 }).toBe(false);
  postgres.pause();
  try {
    const walletsMade = () =>
      store.requestLog
        .slice(-(store.apiRequests - mark) || Infinity)
        .filter((call) => call.method === "POST" && call.path === "/wallets/pregen" && call.status === 200).length;
    await expect.poll(() => walletsMade() === 2 && store.inFlight === 0, { timeout: 30_000, interval: 20 }).toBe(true);
    await sleep(OUTAGE_AFTER_PARA_MS);
  } finally {
    postgres.resume();
  }
}

/** The set is in its owner's list, and signs (its share was stored and opens). */
async function expectStoredAndSigning(client: AppClient, id: string) {
  const listed = async () =>
    (await client.request<{ pregenWallets: { id: string }[] }>("GET", "/api/wallets/pregen")).body.pregenWallets?.map((set) => set.id);
  await expect.poll(listed, { timeout: 30_000, interval: 250 }).toContain(id);
  const signed = await client.request<{ verified: boolean }>("POST", "/api/examples/viem/pregen", { json: { setId: id } });
  expect(signed.status, signed.text).toBe(200);
  expect(signed.body.verified).toBe(true);
}

describe.skipIf(!postgres.available)("Postgres down while Para makes a pregenerated set", () => {
  it("back a moment after Para answered in time: 201, the share is stored, and the set signs", async () => {
    const client = await signedIn();
    await delayRequests({ method: "POST", path: "/wallets/pregen", ms: 4_000 });
    const answer = client.request<{ id: string } & ErrorBody>("POST", "/api/wallets/pregen", {
      json: { identifier: identifierFor("blip") },
    });
    await stopPostgresWhileParaCreates();
    const created = await answer;
    expect(created.status, created.text).toBe(201);
    await expectStoredAndSigning(client, created.body.id);
  });

  it("back a moment after Para answered late: 504 with the set's id, then the share is stored and the set signs", async () => {
    const client = await signedIn();
    await delayRequests({ method: "POST", path: "/wallets/pregen", ms: TIMEOUT_MS + 2_000 });
    const [late] = await Promise.all([
      client.request<ErrorBody>("POST", "/api/wallets/pregen", { json: { identifier: identifierFor("late-blip") } }),
      stopPostgresWhileParaCreates(),
    ]);
    expect(late.status, late.text).toBe(504);
    expect(late.body.error.code).toBe("upstream_timeout");
    const id = late.body.error.details?.setId;
    expect(id).toBeTruthy();
    await expectStoredAndSigning(client, id!);
  });
});
