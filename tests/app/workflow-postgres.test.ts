import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "pg";
import { describe, expect, it } from "vitest";
import { mintSession, quietSdkLogs } from "../../para-local/testing";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import { AppClient } from "./client";
import { instancesForThisFile, postgresForThisFile } from "./own-app";

// The workflow engine self-hosted on Postgres (WORKFLOW_TARGET_WORLD=@workflow/world-postgres):
// `npm start` creates its tables, a scheduled action runs across a restart, and the engine's
// tables hold no session, cookie or key.

quietSdkLogs();
paraLocalForThisFile();
const postgres = postgresForThisFile();

let appDatabase: string;
let worldDatabase: string;
const secrets = { SESSION_SECRET: randomBytes(32).toString("base64"), DATA_ENCRYPTION_KEY: randomBytes(32).toString("base64") };
const app = instancesForThisFile([3117] as const, () => ({
  DATABASE_URL: appDatabase,
  WORKFLOW_TARGET_WORLD: "@workflow/world-postgres",
  WORKFLOW_POSTGRES_URL: worldDatabase,
  ...secrets,
}));
class WorldClient extends AppClient {
  override readonly baseUrl = app.url(0);
}

interface Action {
  id: string;
  status: string;
  result?: { signature?: string };
}

/** The engine stores inputs and outputs as CBOR (bytea): read as text, the strings inside show. */
const asText = (_key: string, value: unknown) =>
  typeof value === "object" && value !== null && (value as { type?: unknown }).type === "Buffer"
    ? Buffer.from((value as { data: number[] }).data).toString("latin1")
    : value;

/** Every row of the engine's tables, as text. */
async function engineRows(): Promise<string> {
  const client = new Client({ connectionString: worldDatabase });
  await client.connect();
  try {
    const tables = await client.query<{ schema: string; name: string }>(
      "select table_schema as schema, table_name as name from information_schema.tables where table_schema in ('workflow', 'graphile_worker') and table_type = 'BASE TABLE'",
    );
    expect(tables.rows.length).toBeGreaterThan(0);
    const dumps = await Promise.all(
      tables.rows.map(async ({ schema, name }) => JSON.stringify((await client.query(`select * from "${schema}"."${name}"`)).rows, asText)),
    );
    return dumps.join("\n");
  } finally {
    await client.end();
  }
}

describe.skipIf(!postgres.available)("the workflow engine on Postgres", () => {
  it("runs a scheduled action across a restart, and its tables hold ids, never the session", async () => {
    appDatabase = await postgres.database("app_workflow_world");
    worldDatabase = await postgres.database("workflow_world");
    await app.start(0, {});
    const user = await mintSession();
    const client = new WorldClient();
    expect((await client.request("POST", "/api/session", { json: { session: user.session } })).status).toBe(200);
    const until = new Date(Date.now() + 10 * 60_000).toISOString();
    expect((await client.request("PUT", "/api/session/grant", { json: { until } })).status).toBe(200);
    const at = new Date(Date.now() + 20_000).toISOString();
    const scheduled = await client.request<Action>("POST", "/api/actions", {
      json: { at, library: "viem", kind: "message", message: "from Postgres" },
    });
    expect(scheduled.status, scheduled.text).toBe(201);

    await app.start(0, {});

    const deadline = Date.now() + 90_000;
    let action: Action | undefined;
    for (;;) {
      const listed = await client.request<{ actions: Action[] }>("GET", "/api/actions");
      expect(listed.status, listed.text).toBe(200);
      action = listed.body.actions.find((candidate) => candidate.id === scheduled.body.id);
      if (action?.status === "done" || Date.now() > deadline) break;
      await sleep(2_000);
    }
    expect(action?.status).toBe("done");
    expect(action?.result?.signature).toMatch(/^0x[0-9a-f]{130}$/);

    const rows = await engineRows();
    expect(rows).toContain(scheduled.body.id);
    expect(rows).not.toContain(user.sessionCookie);
    const exported = JSON.parse(Buffer.from(user.session, "base64").toString("utf8")) as { wallets: Record<string, { signer?: string }> };
    const shares = Object.values(exported.wallets).flatMap((wallet) => (wallet.signer ? [wallet.signer] : []));
    expect(shares.length).toBeGreaterThan(0);
    for (const share of shares) expect(rows).not.toContain(share.slice(0, 40));
  }, 240_000);
});
