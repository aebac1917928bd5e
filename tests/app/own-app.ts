import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { type RunningServer, startAppServer } from "../../scripts/app-server";
import { findPostgresBin, freshDatabase, startThrowawayPostgres, type ThrowawayPostgres } from "../../scripts/postgres";
import { AppClient } from "./client";

/**
 * This test file's own app, for tests that need settings, a database or a chain the suite's shared
 * app does not have: the production build on `port` (as deployed: `NODE_ENV=production`, para-local,
 * a data folder of its own), started before the file's tests and stopped after. `env` is read when
 * it starts, so it may use what the file's earlier `beforeAll` hooks started (a Postgres, a chain);
 * `skip` leaves it unstarted (a test file whose tests skip without Postgres).
 */
export function ownAppForThisFile(
  port: number,
  env: () => Record<string, string> | Promise<Record<string, string>>,
  { skip = false } = {},
) {
  const dataDir = mkdtempSync(path.join(tmpdir(), `para-app-${port}-`));
  const url = `http://localhost:${port}`;
  let app: RunningServer | undefined;
  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer({ port, env: { NODE_ENV: "production", PARA_API_KEY: "", PARA_DATA_DIR: dataDir, ...(await env()) } });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    url,
    /** A client of this file's app (the shared one listens elsewhere). */
    Client: class extends AppClient {
      override readonly baseUrl = url;
    },
  };
}

/**
 * A throwaway Postgres server for this test file, started before its tests and stopped after.
 * Without Debian's `postgresql` installed, `available` is false and the file's tests skip, unless
 * REQUIRE_POSTGRES=1 (CI), where that is an error. Call it before `ownAppForThisFile`, so the
 * server is up when the app starts.
 */
export function postgresForThisFile() {
  const bin = findPostgresBin();
  if (!bin && process.env.REQUIRE_POSTGRES === "1") throw new Error("REQUIRE_POSTGRES=1 but Postgres is not installed");
  let server: ThrowawayPostgres | undefined;
  beforeAll(async () => {
    if (bin) server = await startThrowawayPostgres(bin);
  }, 60_000);
  afterAll(() => server?.stop());
  const running = () => {
    if (!server) throw new Error("the throwaway Postgres is not running");
    return server;
  };
  return {
    available: bin !== undefined,
    /** A new, empty database on it: its URL. */
    database: (name: string) => freshDatabase(running().url, name),
    /** Stops the server, keeping its data, as an outage would; `resume` starts it again. */
    pause: () => running().pause(),
    resume: () => running().resume(),
  };
}

/**
 * Instances of the app on `ports`, as Vercel runs many behind one address: the production build,
 * para-local, a data folder each, and `shared()`'s variables (the same database and secrets). A test
 * (re)starts instance `i` with its own variables, as a rolling deploy would; all stop after the file.
 */
export function instancesForThisFile<P extends readonly number[]>(ports: P, shared: () => Record<string, string>) {
  const apps: (RunningServer | undefined)[] = [];
  const dataDirs: string[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((app) => app?.stop()));
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });
  return {
    async start(i: number, env: Record<string, string>): Promise<void> {
      await apps[i]?.stop();
      dataDirs[i] ??= mkdtempSync(path.join(tmpdir(), `para-app-${ports[i]}-`));
      apps[i] = await startAppServer({
        port: ports[i]!,
        env: { NODE_ENV: "production", PARA_API_KEY: "", PARA_DATA_DIR: dataDirs[i]!, ...shared(), ...env },
      });
    },
    url: (i: number) => `http://localhost:${ports[i]}`,
  };
}
