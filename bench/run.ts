/**
 * `npm run bench` (`-- --full` for the long version): the app's check of a session it holds
 * (GET /api/session) beside the guide's check — Para's server-SDK guide followed on every
 * request: a new `ParaServer`, `importSession`, `isSessionActive` (bench/guide-pattern-server.ts) —
 * against the same para-local and the same users, in interleaved rounds, twice: para-local
 * answering at once, and 30 ms late as Para across a network would (`--latency 30`). Then the
 * app's own figures: first-load JavaScript in Chromium, sizes, start-up. Needs a production build
 * (`npx next build`) and the test ports (so not while `npm run dev` runs). Exits 1 if anything is
 * over budget.
 *
 * Budgets are ratios to the guide's check where a ratio fits (same machine, same run, same
 * load), so they hold on a slow machine as on a fast one; absolute ones sit well above what a
 * 2-core CI machine measures. CI runs the short version after `npm test`; `--full` adds rounds,
 * 10,000 validations for memory growth, and Postgres (when Debian's postgresql is installed).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { findPostgresBin, freshDatabase, startThrowawayPostgres, type ThrowawayPostgres } from "../scripts/postgres";
import { type MintedSession, mintSession, quietSdkLogs, startParaLocal, type ParaLocal } from "../para-local/testing";
import { type RunningServer, startAppServer, startServer } from "../scripts/app-server";
import { encryptSession, type TransportKeySet } from "../lib/transport/encrypt-session";
import { measureFirstLoad } from "./first-load";
import { type Measurement, percentile, printReport, printTable } from "./stats";

const FULL = process.argv.includes("--full");
const APP_PORT = 3102;
const GUIDE_PORT = 3103;
/** para-local answering at once, then as Para across a network would (its `--latency`). */
const LATENCIES_MS = [0, 30] as const;
const USERS = 50;
/** Requests sent one after another, the app's and the guide's in turn: what a user alone on the server waits. */
const SINGLE_REQUESTS = 10;
const ROUNDS = FULL ? 8 : 2;
const GROWTH_VALIDATIONS = FULL ? 10_000 : 0;
const GROWTH_WARM_UP = 3_000;

quietSdkLogs();
const measurements: Measurement[] = [];
const comparisons: { title: string; rows: string[][] }[] = [];

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
    await compareWithGuide(engine, databaseUrl);
  }
} finally {
  await postgres?.stop();
}

/** One engine: the app and the guide's check, the same users, rounds taking turns, at each latency. */
async function compareWithGuide(engine: "PGlite" | "Postgres", databaseUrl: string | undefined): Promise<void> {
  const paraLocal = await startParaLocal({ testMode: true, quiet: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), "para-bench-"));
  const appStarted = performance.now();
  const app = await startAppServer({ port: APP_PORT, env: { PARA_DATA_DIR: dataDir, PARA_API_KEY: "", DATABASE_URL: databaseUrl ?? "" } });
  const appStartMs = performance.now() - appStarted;
  // Idle: started, migrated, the health check answered (the database is open), no user yet; the
  // lowest of a dozen samples over three seconds, so a garbage collection still pending after
  // start-up (later on a busy machine) does not count as memory the app keeps.
  const idleRss = await settledRss(app);
  const guide = await startServer({
    command: "npx",
    args: ["tsx", "bench/guide-pattern-server.ts", String(GUIDE_PORT)],
    port: GUIDE_PORT,
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
    // what the route needs.
    const firstStarted = performance.now();
    const first = await signIn(app.url, users[0]!.session);
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
    // What one import costs, a user of its own signing in: the app imports once per sign-in, the guide's check on every request.
    const newcomer = await mintSession();
    const importCalls = await paraCalls(paraLocal, () => signIn(app.url, newcomer.session));

    // The app checks the session it holds (GET /api/session with its cookie); the guide's check
    // gets the exported session on every request and imports it (POST /session).
    const validate = {
      app: (i: number) => fetch(`${app.url}/api/session`, { headers: { cookie: cookies[i]! } }),
      guide: (i: number) => post(`${guide.url}/session`, { session: users[i]!.session }),
    };
    let guideCalls = 0;
    for (const latencyMs of LATENCIES_MS) {
      paraLocal.latency.ms = latencyMs;
      await round(paraLocal, validate.app);
      await round(paraLocal, validate.guide);
      const warm = { app: app.rssBytes(), guide: guide.rssBytes() };

      const results = { app: [] as RoundResult[], guide: [] as RoundResult[] };
      for (let r = 0; r < ROUNDS; r++) {
        // Interleaved, and each goes first every other round: neither gets a warmer machine.
        const order = r % 2 === 0 ? (["app", "guide"] as const) : (["guide", "app"] as const);
        for (const who of order) results[who].push(await round(paraLocal, validate[who]));
      }
      const summary = { app: summarize(results.app), guide: summarize(results.guide) };
      guideCalls = summary.guide.calls;
      const single = await oneAtATime(validate);
      const at = latencyMs === 0 ? "para-local answering at once" : `para-local answering ${latencyMs} ms late (--latency ${latencyMs})`;
      const rows = [
        [
          "Para calls per request",
          summary.guide.calls.toFixed(1),
          summary.app.calls.toFixed(1),
          ratio(summary.app.calls, summary.guide.calls),
        ],
        [
          `p50, one request at a time (${SINGLE_REQUESTS})`,
          `${single.guide.toFixed(0)} ms`,
          `${single.app.toFixed(0)} ms`,
          ratio(single.app, single.guide),
        ],
        [
          `p50, ${USERS} at once`,
          `${summary.guide.p50.toFixed(0)} ms`,
          `${summary.app.p50.toFixed(0)} ms`,
          ratio(summary.app.p50, summary.guide.p50),
        ],
        [
          `p95, ${USERS} at once`,
          `${summary.guide.p95.toFixed(0)} ms`,
          `${summary.app.p95.toFixed(0)} ms`,
          ratio(summary.app.p95, summary.guide.p95),
        ],
        [
          `throughput, ${USERS} at once`,
          `${summary.guide.rps.toFixed(0)} req/s`,
          `${summary.app.rps.toFixed(0)} req/s`,
          ratio(summary.app.rps, summary.guide.rps),
        ],
        // The guide's check imports on every request, so one import costs what one of its requests does.
        [
          "Para calls: one import (POST /api/session)",
          summary.guide.calls.toFixed(1),
          String(importCalls),
          ratio(importCalls, summary.guide.calls),
        ],
      ];
      if (latencyMs === 0) rows.push(["RSS after warm-up", mb(warm.guide), mb(warm.app), ratio(warm.app, warm.guide)]);
      comparisons.push({ title: `${at}, ${engine}`, rows });

      const label = latencyMs === 0 ? engine : `${engine}, ${latencyMs} ms latency`;
      measurements.push(
        {
          name: `Para calls per GET /api/session, app (${label})`,
          unit: "calls",
          value: summary.app.calls,
          budget: 1,
          detail: `the guide's check: ${summary.guide.calls.toFixed(1)}`,
        },
        // The goals are 1.0×; two short rounds (the short run) are noisier than eight (on this 2-core
        // machine they ranged 0.93–1.37× for p50 and 0.87–1.16× for throughput), so they get a margin
        // that still catches a fall back to the guide's check. Fifty at once keep both cores busy,
        // so a Para call's latency mostly overlaps other requests' work: the app's gain shows most
        // one request at a time.
        { name: `p50 app ÷ the guide's check (${label})`, unit: "×", value: summary.app.p50 / summary.guide.p50, budget: FULL ? 1 : 1.5 },
        {
          name: `throughput app ÷ the guide's check (${label})`,
          unit: "×",
          value: summary.app.rps / summary.guide.rps,
          budget: FULL ? 1 : 0.75,
          atLeast: true,
        },
      );
      if (latencyMs === 0)
        measurements.push(
          // Goal 250 MB before the workflow engine, both engines; it starts with the server (a run that
          // slept through a restart wakes only so) and adds ≈ 80 MB: its runtime, undici, both worlds.
          // Measured 266–345 MB over four runs on a 2-core machine: the budget leaves that spread room.
          // With PGlite that holds only with glibc's trim threshold fixed (scripts/next-start.mjs,
          // which npm start runs): without it the idle server kept ≈ 40 MB of freed memory.
          { name: `idle RSS, app (${engine})`, unit: "MB", value: idleRss / 1e6, budget: 360 },
          // After 50 concurrent validations: a regression guard, not a goal (the guide's figure is beside it above).
          { name: `RSS after warm-up, app (${engine})`, unit: "MB", value: warm.app / 1e6, budget: engine === "PGlite" ? 800 : 500 },
        );
    }
    paraLocal.latency.ms = 0;
    measurements.push({
      name: `Para calls: import (POST /api/session) (${engine})`,
      unit: "calls",
      value: importCalls,
      // No more than the guide's check asks on every request, and Para's JWT of the identity, which it never asks for.
      budget: guideCalls + 1,
      detail: `the guide's check: ${guideCalls.toFixed(1)} per request`,
    });

    if (engine === "PGlite") await sessionFigures(paraLocal, app, users, cookies, guideCalls);
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
    await Promise.all([app.stop(), guide.stop()]);
    await paraLocal.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  async function signInAll(all: MintedSession[]): Promise<string[]> {
    return Promise.all(
      all.map(async (user) => {
        const response = await signIn(app.url, user.session);
        if (response.status !== 200) throw new Error(`sign-in answered ${response.status}`);
        return response.headers.getSetCookie()[0]!.split(";")[0]!;
      }),
    );
  }
}

/** The app's other paths and sizes, measured once (PGlite); `guideCalls` is what the guide's check asks per request. */
async function sessionFigures(
  paraLocal: ParaLocal,
  app: RunningServer,
  users: MintedSession[],
  cookies: string[],
  guideCalls: number,
): Promise<void> {
  const user = users[0]!;
  measurements.push({
    name: "Para calls: keep-alive",
    unit: "calls",
    value: await paraCalls(paraLocal, () => post(`${app.url}/api/session/keep-alive`, {}, cookies[1])),
    // No more than the guide's check with keepSessionAlive in place of isSessionActive, and the
    // JWT that says the session's new end.
    budget: guideCalls + 1,
    detail: `the guide's check: ${guideCalls.toFixed(1)} per request`,
  });

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

/** How many requests para-local answered for one request to a server (it must answer 200). */
async function paraCalls(paraLocal: ParaLocal, request: () => Promise<Response>): Promise<number> {
  const before = paraLocal.store.apiRequests;
  const response = await request();
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${response.url} answered ${response.status}`);
  return paraLocal.store.apiRequests - before;
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

async function oneAtATime(validate: Record<"app" | "guide", (i: number) => Promise<Response>>) {
  const latencies = { app: [] as number[], guide: [] as number[] };
  for (let i = 0; i < SINGLE_REQUESTS; i++) {
    for (const who of ["app", "guide"] as const) {
      const sent = performance.now();
      const response = await validate[who](i);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`a validation answered ${response.status}`);
      latencies[who].push(performance.now() - sent);
    }
  }
  return { app: percentile(latencies.app, 50), guide: percentile(latencies.guide, 50) };
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

/** POST /api/session as the app's pages send it: the exported session encrypted to the app's transport key. */
async function signIn(appUrl: string, session: string): Promise<Response> {
  const keys = (await (await fetch(`${appUrl}/api/session/transport-key`)).json()) as TransportKeySet;
  const { jwe } = await encryptSession(session, keys, new URL(appUrl).origin);
  return post(`${appUrl}/api/session`, { session: jwe });
}

function post(url: string, json: unknown, cookie?: string): Promise<Response> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (cookie) headers.cookie = cookie;
  return fetch(url, { method: "POST", headers, body: JSON.stringify(json) });
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

function ratio(app: number, guide: number): string {
  return `${(app / guide).toFixed(2)}×`;
}

process.stdout.write(
  "\nGET /api/session with a session the app holds, beside the guide's check (on every request a new ParaServer," +
    ` importSession, isSessionActive); ${ROUNDS} interleaved rounds of ${USERS} concurrent requests each, the same users:\n`,
);
for (const { title, rows } of comparisons) {
  process.stdout.write(`\n${title}:\n`);
  printTable(["figure", "the guide's check", "this app", "app ÷ guide"], rows);
}
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
