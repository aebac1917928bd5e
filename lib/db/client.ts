import "server-only";
import { attachDatabasePool } from "@vercel/functions";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { Pool } from "pg";
import { type DatabaseConfig, getConfig } from "../config";
import { logError } from "../log";
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
export function getDb(): Promise<Database> {
  const holder = globalThis as typeof globalThis & { __paraDb?: Promise<Connection> };
  // A failed open is not kept: the next request tries again instead of failing for the process's life.
  holder.__paraDb ??= openDatabase(getConfig().database).catch((error: unknown) => {
    holder.__paraDb = undefined;
    throw error;
  });
  return holder.__paraDb.then((connection) => connection.db);
}

/**
 * The embedded Postgres's settings. PGlite touches all of its shared buffers when it starts, so
 * Postgres's default 128 MB is resident from the first request; the app's tables (sessions,
 * pregenerated sets) need a fraction of it. 16 MB halves PGlite's share of the process's memory
 * (≈ 270 → ≈ 130 MB measured, 5,000 rows and 2,000 lookups, Node 24).
 */
const EMBEDDED_POSTGRES_CONF = ["shared_buffers=16MB"];

/** Opens the configured database. `url` overrides the configured one (migrations use the direct connection). */
export async function openDatabase(
  database: Pick<DatabaseConfig, "embeddedDir" | "pool"> & { url?: string; onVercel?: boolean },
  url = database.url,
): Promise<Connection> {
  if (url) {
    // Sized for serverless Postgres (Neon, Supabase, Vercel's): many instances, each with a few connections.
    const pool = new Pool({
      connectionString: url,
      max: database.pool.max,
      idleTimeoutMillis: database.pool.idleTimeoutMs,
      connectionTimeoutMillis: database.pool.connectTimeoutMs,
    });
    // An idle connection that breaks (the server restarts, a proxy drops it) must not crash the process.
    pool.on("error", (error) => logError("db-pool", error));
    // On Vercel, let a suspended function close its idle connections before it is frozen.
    if (database.onVercel) attachDatabasePool(pool);
    return { db: drizzlePg(pool, { schema }) as unknown as Database, close: () => pool.end() };
  }
  // Loaded only when used, so deployments with DATABASE_URL never load (or ship) PGlite.
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([import("@electric-sql/pglite"), import("drizzle-orm/pglite")]);
  const client = new PGlite(database.embeddedDir, { postgresqlconf: EMBEDDED_POSTGRES_CONF });
  return { db: drizzlePglite(client, { schema }) as unknown as Database, close: () => client.close() };
}
