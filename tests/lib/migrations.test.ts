import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Client } from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { applyMigrations, MIGRATIONS_FOLDER } from "../../lib/db/migrate";
import { freshDatabase } from "../../scripts/postgres";

/** Every column and index of the public schema, as both engines report them. */
const DESCRIBE_SCHEMA = [
  `select table_name, column_name, data_type, is_nullable, column_default
     from information_schema.columns where table_schema = 'public' order by table_name, column_name`,
  `select indexname, indexdef from pg_indexes where schemaname = 'public' order by indexname`,
];
const APPLIED = `select count(*)::int as n from drizzle.__drizzle_migrations`;

const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as { entries: unknown[] };
const postgresUrl = inject("postgresUrl");
const embeddedDir = mkdtempSync(path.join(tmpdir(), "para-pglite-"));
afterAll(() => rmSync(embeddedDir, { recursive: true, force: true }));

async function describePglite(): Promise<{ schema: unknown[]; applied: number }> {
  const db = new PGlite(embeddedDir);
  try {
    const schema = [];
    for (const query of DESCRIBE_SCHEMA) schema.push((await db.query(query)).rows);
    const applied = (await db.query<{ n: number }>(APPLIED)).rows[0]!.n;
    return { schema, applied };
  } finally {
    await db.close();
  }
}

async function describePostgres(url: string): Promise<{ schema: unknown[]; applied: number }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const schema = [];
    for (const query of DESCRIBE_SCHEMA) schema.push((await client.query(query)).rows);
    const applied = (await client.query<{ n: number }>(APPLIED)).rows[0]!.n;
    return { schema, applied };
  } finally {
    await client.end();
  }
}

describe("the committed migrations", () => {
  it("apply to the embedded engine (PGlite), twice without change", async () => {
    await applyMigrations({ embeddedDir });
    const first = await describePglite();
    await applyMigrations({ embeddedDir });
    expect(await describePglite()).toEqual(first);
    expect(first.applied).toBe(journal.entries.length);
    const tables = new Set((first.schema[0] as { table_name: string }[]).map((column) => column.table_name));
    expect([...tables].sort()).toEqual([
      "idempotent_requests",
      "para_sessions",
      "pregen_wallets",
      "rate_limits",
      "scheduled_actions",
      "session_grants",
      "used_transport_jtis",
    ]);
  });

  it.skipIf(!postgresUrl)("apply to a real Postgres server and give it the same schema as the embedded engine", async () => {
    const url = await freshDatabase(postgresUrl, "migrations");
    await applyMigrations({ migrationUrl: url, embeddedDir: "" });
    await applyMigrations({ migrationUrl: url, embeddedDir: "" });
    const onPostgres = await describePostgres(url);
    expect(onPostgres.applied).toBe(journal.entries.length);
    await applyMigrations({ embeddedDir });
    expect(onPostgres.schema).toEqual((await describePglite()).schema);
  });
});
