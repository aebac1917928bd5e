/**
 * `npm run keep-alive`: runs the server's keep-alive job once, as Vercel Cron does (`GET
 * /api/cron/keep-alive` with `Authorization: Bearer <CRON_SECRET>`), against the app at APP_URL
 * (http://localhost:3000 by default), and prints its answer. `--every 5m` repeats it: `npm run dev`
 * runs it so, which beats half of para-local's default 30-minute session.
 */
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import nextEnv from "@next/env";
import { ConfigError, getConfig } from "../lib/config";

nextEnv.loadEnvConfig(process.cwd());
const { values } = parseArgs({ options: { every: { type: "string" }, quiet: { type: "boolean", default: false } } });
const everyMs = values.every ? minutes(values.every) * 60_000 : undefined;

let secret: string | undefined;
try {
  secret = getConfig().keepAlive.cronSecret;
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`Configuration error: ${error.message}\n`);
  process.exit(1);
}
if (!secret) {
  process.stderr.write("Set CRON_SECRET to run the keep-alive job (it refuses to run without one).\n");
  // Under npm run dev (--every), stay up without running it: exiting would stop the dev server with it.
  if (!everyMs) process.exit(1);
  setInterval(() => undefined, 60 * 60_000);
  await new Promise(() => undefined);
}
const url = `${process.env.APP_URL ?? "http://localhost:3000"}/api/cron/keep-alive`;

for (;;) {
  if (everyMs) await sleep(everyMs);
  try {
    const response = await fetch(url, { headers: { authorization: `Bearer ${secret}` } });
    const text = await response.text();
    if (!values.quiet || !response.ok) process.stdout.write(`keep-alive job: ${response.status} ${text}\n`);
    if (!everyMs) process.exit(response.ok ? 0 : 1);
  } catch (error) {
    process.stderr.write(`keep-alive job: ${url} did not answer (${error instanceof Error ? error.message : String(error)})\n`);
    if (!everyMs) process.exit(1);
  }
}

function minutes(text: string): number {
  const match = /^(\d+)m$/.exec(text);
  if (!match || Number(match[1]) < 1) throw new Error(`--every takes minutes, such as 5m (got "${text}")`);
  return Number(match[1]);
}
