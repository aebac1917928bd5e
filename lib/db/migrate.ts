import { fileURLToPath } from "node:url";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { DatabaseConfig } from "../config";
import { openDatabase } from "./client";

/** Migrations run one statement at a time: one connection. */
const MIGRATION_POOL = { max: 1, idleTimeoutMs: 1_000, connectTimeoutMs: 10_000 };

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

/**
 * Applies the committed migrations (idempotent); both engines read the same SQL files. Postgres
 * migrates over the direct connection when the provider gives one (DATABASE_URL_UNPOOLED): a
 * transaction-mode pooler does not keep the session a migration needs.
 */
export async function applyMigrations(database: Pick<DatabaseConfig, "migrationUrl" | "embeddedDir">): Promise<void> {
  const connection = await openDatabase({ embeddedDir: database.embeddedDir, pool: MIGRATION_POOL }, database.migrationUrl);
  try {
    if (database.migrationUrl) await migratePg(connection.db as unknown as NodePgDatabase, { migrationsFolder: MIGRATIONS_FOLDER });
    else await migratePglite(connection.db as unknown as PgliteDatabase, { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await connection.close();
  }
}
