/**
 * `npm run bench` (`-- --full` for the long version): the app beside the seed's pattern
 * (bench/seed-server.ts), against the same para-local and the same users, in interleaved rounds;
 * then the app's own figures: first-load JavaScript in Chromium, sizes, start-up. Needs a
 * production build (`npx next build`) and the test ports (so not while `npm run dev` runs).
 * Exits 1 if anything is over budget.
 *
 * Budgets are ratios to the seed where a ratio fits (same machine, same run, same load), so they
 * hold on a slow machine as on a fast one; absolute ones sit well above what a 2-core CI machine
 * measures. `npm test` runs the short version; `--full` adds rounds, 10,000 validations for memory
 * growth, and Postgres (when Debian's postgresql is installed).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { findPostgresBin, freshDatabase, startThrowawayPostgres, type ThrowawayPostgres } from "../scripts/postgres";
import { type MintedSession, mintSession, quietSdkLogs, startParaLocal, type ParaLocal } from "../para-local/testing";
import { type RunningServer, startAppServer, startServer } from "../scripts/app-server";
import { measureFirstLoad } from "./first-load";
import { type Measurement, percentile, printReport, printTable } from "./stats";

const FULL = process.argv.includes("--full");
const APP_PORT = 3102;
const SEED_PORT = 3103;
const USERS = 50;
const ROUNDS = FULL ? 8 : 2;
const GROWTH_VALIDATIONS = FULL ? 10_000 : 0;
const GROWTH_WARM_UP = 3_000;

quietSdkLogs();
const measurements: Measurement[] = [];
const comparison: string[][] = [];

// para-local start-up: what `npm run dev` and every test run wait for.
const startTimes: number[] = [];
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  const instance = await startParaLocal({ testMode: true, quiet: true });
  startTimes.push(performance.now() - started);
  await instance.close();
}
measurements.push({ name: "para-local start (median of 5)", unit: "ms", value: percentile(startTimes, 50), budget: 1_000 });

const postgresBin = FULL ? findPostgresBin() : undefined;
const postgres: ThrowawayPostgres | undefined = postgresBin ? await startThrowawayPostgres(postgresBin) : undefined;
const engines = postgres ? (["PGlite", "Postgres"] as const) : (["PGlite"] as const);

try {
  for (const engine of engines) {
    const databaseUrl = engine === "Postgres" ? await freshDatabase(postgres!.url, `bench_${Date.now()}`) : undefined;
    await compareWithSeed(engine, databaseUrl);
  }
} finally {
  await postgres?.stop();
}

/** One engine: the app and the seed's pattern, the same users, rounds taking turns. */
async function compareWithSeed(engine: "PGlite" | "Postgres", databaseUrl: string | undefined): Promise<void> {
  const paraLocal = await startParaLocal({ testMode: true, quiet: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), "para-bench-"));
  const appStarted = performance.now();
  const app = await startAppServer({ port: APP_PORT, env: { PARA_DATA_DIR: dataDir, PARA_API_KEY: "", DATABASE_URL: databaseUrl ?? "" } });
  const appStartMs = performance.now() - appStarted;
  // Idle: started, migrated, the health check answered (the database is open), no user yet; the
  // lowest of a dozen samples over three seconds, so a garbage collection still pending after
  // start-up (later on a busy machine) does not count as memory the app keeps.
  const idleRss = await settledRss(app);
  const seed = await startServer({
    command: "npx",
    args: ["tsx", "bench/seed-server.ts", String(SEED_PORT)],
    port: SEED_PORT,
    healthPath: "/health",
    // The malloc setting npm start gives the app (scripts/next-start.mjs), so the RSS figures compare code.
    env: { MALLOC_TRIM_THRESHOLD_: String(8 * 1024 * 1024) },
  });
  try {
    if (engine === "PGlite")
      measurements.push({ name: "app start (migrations + next start)", unit: "ms", value: appStartMs, budget: 20_000 });
    const users: MintedSession[] = [];
    for (let i = 0; i < USERS; i++) users.push(await mintSession());
    // The first import on a fresh instance (a cold serverless function's first request) also loads
    // what the route needs: core-sdk's API client, not the server SDK (tests/lib/import-graph.test.ts).
    const firstStarted = performance.now();
    const first = await post(`${app.url}/api/session`, { session: users[0]!.session });
    const firstMs = performance.now() - firstStarted;
    if (first.status !== 200) throw new Error(`the first sign-in answered ${first.status}`);
    if (engine === "PGlite")
      measurements.push({
        name: "first import on a fresh instance",
        unit: "ms",
        value: firstMs,
        budget: 1_500,
        detail: "loads the route's modules",
      });
    const cookies = await signInAll(users);

    // Validation, both ways: the app checks the session it stores (GET /api/session with the
    // cookie); the seed's pattern gets the exported session and imports it (POST /session).
    const validate = {
      app: (i: number) => fetch(`${app.url}/api/session`, { headers: { cookie: cookies[i]! } }),
      seed: (i: number) => post(`${seed.url}/session`, { session: users[i]!.session }),
    };
    await round(paraLocal, validate.app);
    await round(paraLocal, validate.seed);
    const warm = { app: app.rssBytes(), seed: seed.rssBytes() };

    const results = { app: [] as RoundResult[], seed: [] as RoundResult[] };
    for (let r = 0; r < ROUNDS; r++) {
      // Interleaved, and each goes first every other round: neither gets a warmer machine.
      const order = r % 2 === 0 ? (["app", "seed"] as const) : (["seed", "app"] as const);
      for (const who of order) results[who].push(await round(paraLocal, validate[who]));
    }
    const summary = { app: summarize(results.app), seed: summarize(results.seed) };
    const label = `${engine}, ${USERS} users at once`;
    comparison.push(
      [
        `Para calls per validation (${engine})`,
        summary.seed.calls.toFixed(1),
        summary.app.calls.toFixed(1),
        ratio(summary.app.calls, summary.seed.calls),
      ],
      [`p50 (${label})`, `${summary.seed.p50.toFixed(0)} ms`, `${summary.app.p50.toFixed(0)} ms`, ratio(summary.app.p50, summary.seed.p50)],
      [`p95 (${label})`, `${summary.seed.p95.toFixed(0)} ms`, `${summary.app.p95.toFixed(0)} ms`, ratio(summary.app.p95, summary.seed.p95)],
      [
        `throughput (${label})`,
        `${summary.seed.rps.toFixed(0)} req/s`,
        `${summary.app.rps.toFixed(0)} req/s`,
        ratio(summary.app.rps, summary.seed.rps),
      ],
      [`RSS after warm-up (${engine})`, mb(warm.seed), mb(warm.app), ratio(warm.app, warm.seed)],
    );
    measurements.push(
      {
        name: `Para calls per validation, app (${engine})`,
        unit: "calls",
        value: summary.app.calls,
        budget: 1,
        detail: `seed: ${summary.seed.calls.toFixed(1)}`,
      },
      // The goals are 1.0×; two short rounds (npm test) are noisier than eight (on this 2-core machine
      // they ranged 0.93–1.37× for p50 and 0.87–1.16× for throughput), so they get a margin that
      // still catches a fall back to the seed's 2×.
      { name: `p50 app ÷ seed (${engine})`, unit: "×", value: summary.app.p50 / summary.seed.p50, budget: FULL ? 1 : 1.5 },
      {
        name: `throughput app ÷ seed (${engine})`,
        unit: "×",
        value: summary.app.rps / summary.seed.rps,
        budget: FULL ? 1 : 0.75,
        atLeast: true,
      },
      // Goal 250 MB, both engines. With PGlite that holds only with glibc's trim threshold fixed
      // (scripts/next-start.mjs, which npm start runs): without it the idle server kept ≈ 40 MB of
      // freed memory and sat at 245–267 MB.
      { name: `idle RSS, app (${engine})`, unit: "MB", value: idleRss / 1e6, budget: 250 },
      // After 50 concurrent validations: a regression guard, not a goal (the seed's figure is beside it above).
      { name: `RSS after warm-up, app (${engine})`, unit: "MB", value: warm.app / 1e6, budget: engine === "PGlite" ? 800 : 500 },
    );

    if (engine === "PGlite") await sessionFigures(paraLocal, app, users, cookies);
    if (GROWTH_VALIDATIONS) {
      // Growth after warm-up: the heap first grows to its working size (caches, JIT, pools);
      // a leak keeps growing after that, a working set does not.
      for (let done = 0; done < GROWTH_WARM_UP; done += USERS) await round(paraLocal, validate.app);
      const before = app.rssBytes();
      for (let done = 0; done < GROWTH_VALIDATIONS; done += USERS) await round(paraLocal, validate.app);
      const growth = (app.rssBytes() / before - 1) * 100;
      measurements.push({
        name: `RSS growth over ${GROWTH_VALIDATIONS} validations (${engine})`,
        unit: "%",
        value: growth,
        budget: 10,
        detail: `after ${GROWTH_WARM_UP} to warm up, from ${mb(before)}`,
      });
    }
  } finally {
    await Promise.all([app.stop(), seed.stop()]);
    await paraLocal.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  async function signInAll(all: MintedSession[]): Promise<string[]> {
    return Promise.all(
      all.map(async (user) => {
        const response = await post(`${app.url}/api/session`, { session: user.session });
        if (response.status !== 200) throw new Error(`sign-in answered ${response.status}`);
        return response.headers.getSetCookie()[0]!.split(";")[0]!;
      }),
    );
  }
}

/** The app's other paths and sizes, measured once (PGlite). */
async function sessionFigures(paraLocal: ParaLocal, app: RunningServer, users: MintedSession[], cookies: string[]): Promise<void> {
  const calls = async (request: () => Promise<Response>) => {
    const before = paraLocal.store.apiRequests;
    const response = await request();
    if (response.status !== 200) throw new Error(`${response.url} answered ${response.status}`);
    return paraLocal.store.apiRequests - before;
  };
  const user = users[0]!;
  measurements.push(
    {
      name: "Para calls: import (POST /api/session)",
      unit: "calls",
      value: await calls(() => post(`${app.url}/api/session`, { session: user.session })),
      budget: 2,
    },
    {
      name: "Para calls: keep-alive",
      unit: "calls",
      value: await calls(() => post(`${app.url}/api/session/keep-alive`, {}, cookies[1])),
      // /touch, keep-alive, and the JWT that says the session's new end.
      budget: 3,
    },
  );

  const first = await measureFirstLoad(app.url, ["/", "/examples", "/mode"]);
  for (const page of first.pages) {
    measurements.push({
      name: `first-load JS ${page.path}`,
      unit: "KiB",
      value: page.gzipBytes / 1024,
      budget: 250,
      detail: `${page.scripts} scripts, ${(page.rawBytes / 1024).toFixed(0)} KiB raw`,
    });
  }
  measurements.push({
    name: "Para SDK on Sign in (loaded on demand)",
    unit: "KiB",
    value: first.signIn.gzipBytes / 1024,
    budget: 1_200,
    detail: `${first.signIn.scripts} scripts, ${(first.signIn.rawBytes / 1024).toFixed(0)} KiB raw`,
  });

  // Sizes: the cookie must stay an id (never the session); the body limit must fit a session with signers.
  const cookieValue = cookies[0]!.split("=").slice(1).join("=");
  measurements.push({ name: "session cookie", unit: "bytes", value: cookieValue.length, budget: 1_024, detail: "browser limit 4096" });
  measurements.push({
    name: "exported session with signers",
    unit: "bytes",
    value: user.session.length,
    budget: 16 * 1024,
    detail: "request body limit 65536",
  });
}

interface RoundResult {
  latencies: number[];
  wallMs: number;
  paraCalls: number;
}

/** Every user validates once, all at the same time. */
async function round(paraLocal: ParaLocal, validate: (i: number) => Promise<Response>): Promise<RoundResult> {
  const before = paraLocal.store.apiRequests;
  const started = performance.now();
  const latencies = await Promise.all(
    Array.from({ length: USERS }, async (_, i) => {
      const sent = performance.now();
      const response = await validate(i);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`a validation answered ${response.status}`);
      return performance.now() - sent;
    }),
  );
  return { latencies, wallMs: performance.now() - started, paraCalls: paraLocal.store.apiRequests - before };
}

function summarize(rounds: RoundResult[]) {
  const latencies = rounds.flatMap((r) => r.latencies);
  const wallMs = rounds.reduce((sum, r) => sum + r.wallMs, 0);
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    rps: (latencies.length / wallMs) * 1000,
    calls: rounds.reduce((sum, r) => sum + r.paraCalls, 0) / latencies.length,
  };
}

function post(url: string, json: unknown, cookie?: string): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (cookie) headers.cookie = cookie;
  return fetch(url, { method: "POST", headers, body: JSON.stringify(json) });
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

function ratio(app: number, seed: number): string {
  return `${(app / seed).toFixed(2)}×`;
}

process.stdout.write(`\nThe app beside the seed's pattern (${ROUNDS} interleaved rounds of ${USERS} concurrent validations):\n`);
printTable(["figure", "seed's pattern", "this app", "app ÷ seed"], comparison);
process.stdout.write("\n");
const ok = printReport(measurements);
process.stdout.write(ok ? "all within budget\n" : "over budget\n");
process.exit(ok ? 0 : 1);

async function settledRss(server: RunningServer): Promise<number> {
  let lowest = server.rssBytes();
  for (let sample = 0; sample < 12; sample++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    lowest = Math.min(lowest, server.rssBytes());
  }
  return lowest;
}
