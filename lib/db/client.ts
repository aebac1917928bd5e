import "server-only";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { Pool } from "pg";
import { getConfig } from "../config";
import * as schema from "./schema";

/** The app's database, whichever engine is behind it: one schema, one query layer. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

interface Connection {
  db: Database;
  close(): Promise<void>;
}

/**
 * Postgres when DATABASE_URL is set, else the embedded PGlite in the data folder.
 * One connection per process (kept on globalThis so dev reloads do not open a second
 * PGlite on the same folder, which it does not allow).
 */
export function getDb(): Database {
  const holder = globalThis as typeof globalThis & { __paraDb?: Connection };
  holder.__paraDb ??= openDatabase(getConfig().database);
  return holder.__paraDb.db;
}

export function openDatabase({ url, embeddedDir }: { url?: string; embeddedDir: string }): Connection {
  if (url) {
    const pool = new Pool({ connectionString: url, max: 10 });
    return { db: drizzlePg(pool, { schema }) as unknown as Database, close: () => pool.end() };
  }
  const client = new PGlite(embeddedDir);
  return { db: drizzlePglite(client, { schema }) as unknown as Database, close: () => client.close() };
}
