/**
 * CI: builds the app as Vercel does (`vercel build --prod`, with the CLI .ci/run pins) and checks
 * its output: every function runs on Node.js 24 (`nodejs24.x`, which `engines` must pick) and none
 * is over 50 MB. `vercel-build` applies the migrations, so the build gets a throwaway Postgres. The
 * project link and the production variables are written for the run — fake keys: the build talks to
 * neither Para nor Vercel — and `.vercel/` is removed afterwards. It replaces `.next/` as any build does.
 *
 *   npx tsx scripts/vercel-build-check.ts --vercel /tmp/para-ci-vercel/node_modules/.bin/vercel
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { findPostgresBin, freshDatabase, startThrowawayPostgres } from "./postgres";

const RUNTIME = "nodejs24.x";
const MAX_FUNCTION_BYTES = 50 * 1024 * 1024;

const { values } = parseArgs({ options: { vercel: { type: "string", default: "vercel" } } });
const vercelDir = path.resolve(".vercel");
// A developer's checkout may be linked to a real project: its link and pulled variables are not ours to overwrite.
if (existsSync(vercelDir)) fail(`${vercelDir} exists (a linked project?): run this in a fresh clone, as CI does`);
// Next traces the proxy and instrumentation with whatever sits in these git-ignored folders (local secrets and
// databases, test output): a deployment from git has neither, so neither may be here when it is measured.
const localState = [".data", "test-results"].filter((dir) => existsSync(dir));
if (localState.length) fail(`${localState.join(" and ")} would be traced into the functions: run this in a fresh clone, as CI does`);

const bin = findPostgresBin();
if (!bin) fail("no Postgres found (apt-get install postgresql, or set PG_BIN): vercel-build runs the migrations");
const postgres = await startThrowawayPostgres(bin);
let ok = false;
try {
  writeProject(await freshDatabase(postgres.url, "vercel_build"));
  const build = spawnSync(values.vercel, ["build", "--prod", "--yes"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", VERCEL_TELEMETRY_DISABLED: "1", NO_UPDATE_NOTIFIER: "1" },
  });
  if (build.error) throw build.error;
  if (build.status !== 0) throw new Error(`vercel build exited with ${build.status}`);
  ok = checkFunctions(path.join(vercelDir, "output", "functions"));
} finally {
  rmSync(vercelDir, { recursive: true, force: true });
  await postgres.stop();
}
if (!ok) process.exit(1);

/** `.vercel/project.json` (what `vercel pull` writes; `settings` spares the build a call to Vercel) and the production variables. */
function writeProject(databaseUrl: string): void {
  mkdirSync(vercelDir);
  // installCommand "": `npm ci` has just installed the dependencies; an install here could only change the checkout.
  const settings = { framework: "nextjs", installCommand: "" };
  const project = { projectId: "prj_ci_build_check", orgId: "team_ci_build_check", settings };
  writeFileSync(path.join(vercelDir, "project.json"), `${JSON.stringify(project, null, 2)}\n`);
  const env = {
    // lib/config.ts requires a Para key and a database on Vercel; a sandbox_ prefix picks SANDBOX.
    PARA_API_KEY: "sandbox_ci_build_check_not_a_key",
    SESSION_SECRET: randomBytes(32).toString("base64"),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    DATABASE_URL: databaseUrl,
  };
  const lines = Object.entries(env).map(([name, value]) => `${name}="${value}"`);
  writeFileSync(path.join(vercelDir, ".env.production.local"), `${lines.join("\n")}\n`, { mode: 0o600 });
}

/** Prints every function with its runtime and size; false if one is not on RUNTIME or is too large. */
function checkFunctions(root: string): boolean {
  const functions = findFunctions(root);
  if (functions.length === 0) {
    process.stdout.write(`no functions in ${root}\n`);
    return false;
  }
  // Next's builder links routes that share a bundle to one function: count each bundle once.
  const measured = new Map<string, number>();
  let good = true;
  process.stdout.write(`\n${functions.length} functions in ${path.relative(process.cwd(), root)}:\n`);
  for (const dir of functions) {
    const real = realpathSync(dir);
    const config = JSON.parse(readFileSync(path.join(real, ".vc-config.json"), "utf8")) as VcConfig;
    const bytes = measured.get(real) ?? sizeOf(real, config);
    measured.set(real, bytes);
    const { runtime } = config;
    const problems = [runtime === RUNTIME ? "" : `not ${RUNTIME}`, bytes > MAX_FUNCTION_BYTES ? "over 50 MB" : ""].filter(Boolean);
    if (problems.length) good = false;
    const shared = real === dir ? "" : ` (= ${path.relative(root, real)})`;
    process.stdout.write(
      `  ${(bytes / 1024 / 1024).toFixed(1).padStart(6)} MB  ${runtime ?? "no runtime"}  ${path.relative(root, dir)}${shared}${problems.length ? `  FAIL: ${problems.join(", ")}` : ""}\n`,
    );
  }
  const largest = Math.max(...measured.values());
  process.stdout.write(
    `vercel build check ${good ? "passed" : "FAILED"}: ${measured.size} distinct bundles, the largest ${(largest / 1024 / 1024).toFixed(1)} MB (limit 50 MB), all must be ${RUNTIME}\n`,
  );
  return good;
}

function findFunctions(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.name.endsWith(".func")) return [full];
    return entry.isDirectory() ? findFunctions(full) : [];
  });
}

/** A function's `.vc-config.json` (Build Output API v3): its runtime, and the checkout's files it takes along uncopied. */
interface VcConfig {
  runtime?: string;
  filePathMap?: Record<string, string>;
}

/**
 * Bytes of a function as deployed, uncompressed: the files in its folder (a symbolic link counts as
 * itself) and the files of the checkout its filePathMap names (node_modules, mostly), which
 * `vercel build` leaves in place and a deployment uploads.
 */
function sizeOf(dir: string, config: VcConfig): number {
  const mapped = new Set(Object.values(config.filePathMap ?? {}));
  return filesIn(dir) + [...mapped].reduce((total, file) => total + lstatSync(file).size, 0);
}

function filesIn(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((total, entry) => {
    const full = path.join(dir, entry.name);
    return total + (entry.isDirectory() ? filesIn(full) : lstatSync(full).size);
  }, 0);
}

function fail(message: string): never {
  process.stderr.write(`vercel build check: ${message}\n`);
  process.exit(1);
}
