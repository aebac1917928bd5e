/**
 * `npm run bench`: how fast and how large the session paths are, against budgets.
 * Needs a production build (`npx next build`); starts para-local and the app itself, on
 * the same ports as the tests (so not while `npm run dev` runs). Exits 1 if over budget.
 *
 * Budgets are set several times above what a 2-core CI machine measures, so they catch
 * regressions (a per-request cost that grows, a cookie that starts carrying the session),
 * not noise.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type MintedSession, mintSession, quietSdkLogs, startParaLocal } from "../para-local/testing";
import { startAppServer } from "../scripts/app-server";
import { type Measurement, percentile, printReport } from "./stats";

const PORT = 3102;
const APP = `http://localhost:${PORT}`;
const ROUNDS = 40;
const CONCURRENCY = 10;

quietSdkLogs();
const measurements: Measurement[] = [];

// para-local start-up: what `npm run dev` and every test run wait for.
const startTimes: number[] = [];
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  const instance = await startParaLocal({ testMode: true, quiet: true });
  startTimes.push(performance.now() - started);
  await instance.close();
}
measurements.push({ name: "para-local start (median of 5)", unit: "ms", value: percentile(startTimes, 50), budget: 1_000 });

const paraLocal = await startParaLocal({ testMode: true, quiet: true });
const dataDir = mkdtempSync(path.join(tmpdir(), "para-bench-"));
const appStarted = performance.now();
const app = await startAppServer({ port: PORT, env: { PARA_DATA_DIR: dataDir, PARA_API_KEY: "" } });

try {
  measurements.push({ name: "app start (migrations + next start)", unit: "ms", value: performance.now() - appStarted, budget: 20_000 });

  const users: MintedSession[] = [];
  for (let i = 0; i < ROUNDS + CONCURRENCY; i++) users.push(await mintSession());

  // Path 1: import (new SDK instance, /touch, re-export, seal, insert) one user at a time.
  const importTimes: number[] = [];
  const cookies: string[] = [];
  for (const user of users.slice(0, ROUNDS)) {
    const { ms, response } = await timed(() => post("/api/session", { session: user.session }));
    if (response.status !== 200) throw new Error(`import answered ${response.status}`);
    importTimes.push(ms);
    cookies.push(response.headers.getSetCookie()[0]!.split(";")[0]!);
  }
  measurements.push({ name: "POST /api/session p50", unit: "ms", value: percentile(importTimes, 50), budget: 250 });
  measurements.push({ name: "POST /api/session p95", unit: "ms", value: percentile(importTimes, 95), budget: 600 });

  // Path 1 again: the cookie's session, re-validated with Para.
  const checkTimes: number[] = [];
  for (const cookie of cookies) {
    const { ms, response } = await timed(() => fetch(`${APP}/api/session`, { headers: { cookie } }));
    if (response.status !== 200) throw new Error(`check answered ${response.status}`);
    checkTimes.push(ms);
  }
  measurements.push({ name: "GET /api/session p50", unit: "ms", value: percentile(checkTimes, 50), budget: 250 });
  measurements.push({ name: "GET /api/session p95", unit: "ms", value: percentile(checkTimes, 95), budget: 600 });

  // Many users at once: each request has its own SDK instance.
  const batch = users.slice(ROUNDS);
  const { ms: batchMs } = await timed(() => Promise.all(batch.map((user) => post("/api/session", { session: user.session }))));
  measurements.push({ name: `imports, ${CONCURRENCY} at once`, unit: "req/s", value: (CONCURRENCY / batchMs) * 1000, budget: 5 });

  // Sizes: the cookie must stay an id (never the session); the body limit must fit a session with signers.
  const cookieValue = cookies[0]!.split("=")[1]!;
  measurements.push({ name: "session cookie", unit: "bytes", value: cookieValue.length, budget: 1_024, detail: "browser limit 4096" });
  measurements.push({
    name: "exported session with signers",
    unit: "bytes",
    value: users[0]!.session.length,
    budget: 16 * 1024,
    detail: "request body limit 65536",
  });
} finally {
  await app.stop();
  await paraLocal.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const ok = printReport(measurements);
process.stdout.write(ok ? "all within budget\n" : "over budget\n");
process.exit(ok ? 0 : 1);

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; response: T }> {
  const started = performance.now();
  const response = await run();
  return { ms: performance.now() - started, response };
}

function post(route: string, json: unknown): Promise<Response> {
  return fetch(`${APP}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(json) });
}
