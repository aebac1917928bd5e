/** `npm run db:migrate`: apply the committed migrations to the configured database. */
import nextEnv from "@next/env";
import { ConfigError, getConfig } from "../lib/config";
import { applyMigrations } from "../lib/db/migrate";

nextEnv.loadEnvConfig(process.cwd());
let database: ReturnType<typeof getConfig>["database"];
try {
  ({ database } = getConfig());
} catch (error) {
  // A configuration mistake is the user's to fix: say what, without a stack trace.
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`Configuration error: ${error.message}\n`);
  process.exit(1);
}
const started = performance.now();
await applyMigrations(database);
process.stdout.write(
  `database ready (${database.url ? "Postgres from DATABASE_URL" : `embedded PGlite in ${database.embeddedDir}`}) in ${Math.round(performance.now() - started)}ms\n`,
);
