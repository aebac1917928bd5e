/** `npm run db:migrate`: apply the committed migrations to the configured database. */
import nextEnv from "@next/env";
import { ConfigError, getConfig } from "../lib/config";
import { applyMigrations } from "../lib/db/migrate";

nextEnv.loadEnvConfig(process.cwd());
let database: ReturnType<typeof getConfig>["database"];
let workflow: ReturnType<typeof getConfig>["workflow"];
try {
  ({ database, workflow } = getConfig());
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

// Self-hosting the workflow engine on Postgres: its tables, with its own bootstrap (it exits when done).
if (workflow.world === "@workflow/world-postgres") {
  const { execFileSync } = await import("node:child_process");
  const bootstrap = 'const { setupDatabase } = await import("@workflow/world-postgres/cli"); await setupDatabase();';
  execFileSync(process.execPath, ["--input-type=module", "-e", bootstrap], { stdio: ["ignore", "ignore", "inherit"] });
  process.stdout.write("workflow engine's tables ready (WORKFLOW_POSTGRES_URL)\n");
}
