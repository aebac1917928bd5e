import type { TestProject } from "vitest/node";
import { findPostgresBin, startThrowawayPostgres } from "../../scripts/postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** The throwaway Postgres server's URL, or "" when Postgres is not installed here. */
    postgresUrl: string;
  }
}

/**
 * Starts a throwaway Postgres for the tests that check the app against a real server. Without
 * Debian's `postgresql` installed those tests skip and say so, unless REQUIRE_POSTGRES=1 (set by
 * .ci/run, which installs it): then a missing Postgres fails the run.
 */
export default async function setup(project: TestProject) {
  const bin = findPostgresBin();
  if (!bin) {
    const message = "Postgres is not installed (apt-get install postgresql): the tests against a real Postgres server are skipped.";
    if (process.env.REQUIRE_POSTGRES === "1") throw new Error(`REQUIRE_POSTGRES=1 but ${message}`);
    process.stdout.write(`\n[lib] ${message}\n`);
    project.provide("postgresUrl", "");
    return;
  }
  const started = performance.now();
  const postgres = await startThrowawayPostgres(bin);
  process.stdout.write(`[lib] throwaway Postgres from ${bin} up in ${Math.round(performance.now() - started)}ms\n`);
  project.provide("postgresUrl", postgres.url);
  return () => postgres.stop();
}
