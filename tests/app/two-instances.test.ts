import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quietSdkLogs } from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import { type RunningServer, startAppServer } from "../../scripts/app-server";
import { findPostgresBin, freshDatabase, startThrowawayPostgres, type ThrowawayPostgres } from "../../scripts/postgres";
import { AppClient, type ErrorBody, randomAddress } from "./client";

// Two instances of the app on one Postgres, as Vercel runs many: what one counts, the other sees.

quietSdkLogs();
const paraLocal = paraLocalForThisFile();
const bin = findPostgresBin();
if (!bin && process.env.REQUIRE_POSTGRES === "1") throw new Error("REQUIRE_POSTGRES=1 but Postgres is not installed");

const PORTS = [3105, 3106] as const;
let postgres: ThrowawayPostgres;
const apps: RunningServer[] = [];
const dataDirs: string[] = [];

beforeAll(async () => {
  if (!bin) return;
  postgres = await startThrowawayPostgres(bin);
  const databaseUrl = await freshDatabase(postgres.url, "app_two_instances");
  // Secrets as a deployment sets them: the same on every instance.
  const secrets = { SESSION_SECRET: randomBytes(32).toString("base64"), DATA_ENCRYPTION_KEY: randomBytes(32).toString("base64") };
  for (const port of PORTS) {
    const dataDir = mkdtempSync(path.join(tmpdir(), `para-two-${port}-`));
    dataDirs.push(dataDir);
    apps.push(
      await startAppServer({
        port,
        env: { NODE_ENV: "production", PARA_API_KEY: "", PARA_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, ...secrets },
      }),
    );
  }
}, 120_000);
afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await postgres?.stop();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** A client of one of this file's instances. */
function clientOf(instance: 0 | 1, address: string): AppClient {
  const client = new AppClient(address);
  Object.defineProperty(client, "baseUrl", { value: `http://localhost:${PORTS[instance]}` });
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

describe.skipIf(!bin)("two instances on one Postgres", () => {
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
    // Each instance learns its partner id once; then one /touch per refused session.
    expect(paraLocal.current!.store.apiRequests - before).toBeLessThanOrEqual(20 + 2);
    // Another address is not limited on either.
    const other = await clientOf(1, randomAddress()).request("POST", "/api/session", { json: { session: invented() } });
    expect(other.status).toBe(401);
  });
});
