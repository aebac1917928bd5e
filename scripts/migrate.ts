/** `npm run db:migrate`: apply the committed migrations to the configured database. */
import nextEnv from "@next/env";
import { getConfig } from "../lib/config";
import { applyMigrations } from "../lib/db/migrate";

nextEnv.loadEnvConfig(process.cwd());
const { database } = getConfig();
const started = performance.now();
await applyMigrations(database);
process.stdout.write(
  `database ready (${database.url ? "Postgres from DATABASE_URL" : `embedded PGlite in ${database.embeddedDir}`}) in ${Math.round(performance.now() - started)}ms\n`,
);
