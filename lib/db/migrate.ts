import { fileURLToPath } from "node:url";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { openDatabase } from "./client";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

/** Applies the committed migrations (idempotent); both engines read the same SQL files. */
export async function applyMigrations(database: { url?: string; embeddedDir: string }): Promise<void> {
  const connection = openDatabase(database);
  try {
    if (database.url) await migratePg(connection.db as unknown as NodePgDatabase, { migrationsFolder: MIGRATIONS_FOLDER });
    else await migratePglite(connection.db as unknown as PgliteDatabase, { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await connection.close();
  }
}
