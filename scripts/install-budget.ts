/**
 * CI's install budgets, checked after `npm ci`: how many packages the lockfile holds, how much disk
 * node_modules takes, and how long `npm ci` took (`--seconds`, measured by .ci/run).
 * Over the package or size budget the step fails. The time is printed against its budget but never
 * fails the run: it moves with the npm cache and the registry's speed, not only with the lockfile.
 *
 *   npx tsx scripts/install-budget.ts --seconds 51
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const BUDGET = { packages: 1_500, bytes: 2e9, seconds: 100 };

const { values } = parseArgs({ options: { seconds: { type: "string" } } });
const seconds = values.seconds === undefined ? undefined : Number(values.seconds);

// Every entry of the lockfile counts, also the optional ones for other platforms that npm leaves out here.
const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as { packages: Record<string, unknown> };
const entries = Object.keys(lock.packages).filter((key) => key.startsWith("node_modules/"));
const installed = entries.filter((key) => existsSync(path.join(key, "package.json"))).length;

// Disk usage as `du` counts it (blocks, hard links once): what the install really takes.
const du = spawnSync("du", ["-sk", "node_modules"], { encoding: "utf8" });
if (du.status !== 0) throw new Error(`du -sk node_modules failed: ${du.stderr}`);
const bytes = Number(du.stdout.split("\t")[0]) * 1024;

const number = (n: number) => n.toLocaleString("en-US");
const gb = (n: number) => `${(n / 1e9).toFixed(2)} GB`;
const rows: { label: string; over: boolean; enforced: boolean }[] = [
  {
    label: `packages: ${number(entries.length)} in the lockfile (${number(installed)} installed), budget ${number(BUDGET.packages)}`,
    over: entries.length > BUDGET.packages,
    enforced: true,
  },
  { label: `node_modules: ${gb(bytes)} on disk, budget ${gb(BUDGET.bytes)}`, over: bytes > BUDGET.bytes, enforced: true },
];
if (seconds !== undefined) {
  rows.push({ label: `npm ci: ${seconds}s, budget ${BUDGET.seconds}s (not enforced)`, over: seconds > BUDGET.seconds, enforced: false });
}

for (const { label, over, enforced } of rows) {
  process.stdout.write(`install budget ${over ? (enforced ? "OVER" : "over") : "ok"}: ${label}\n`);
}
if (rows.some(({ over, enforced }) => over && enforced)) {
  process.stdout.write("install budget FAILED: a dependency brought more than the budget allows (npm ls --all shows who pulls what)\n");
  process.exit(1);
}
