/**
 * `npm test`: type-check, lint, the formatter's check, para-local's contract tests, lib/ against real databases, a
 * production build, the app's route tests against it, and the Playwright specs in Chromium
 * against the same build. The benchmarks are not tests: `npm run bench` runs them (CI after this).
 * Every step runs even when an earlier one fails (except those that need the build), so one
 * run shows everything that is wrong; the exit code is non-zero if any step failed. The last
 * line, "N passed, N failed, N skipped", is also written to test-results/summary.txt, so CI can
 * print it again after the steps it runs next.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

interface Step {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** A vitest or Playwright JSON report to count tests from. */
  report?: { file: string; kind: "vitest" | "playwright" };
  needsBuild?: boolean;
}

const vitest = (project: string): Step => ({
  name: `vitest ${project}`,
  command: "npx",
  args: [
    "vitest",
    "run",
    "--project",
    project,
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=test-results/vitest-${project}.json`,
  ],
  report: { file: `test-results/vitest-${project}.json`, kind: "vitest" },
  needsBuild: project === "app",
});

const steps: Step[] = [
  { name: "typecheck", command: "npx", args: ["tsc", "--noEmit"] },
  { name: "lint", command: "npx", args: ["eslint", "."] },
  { name: "format", command: "npx", args: ["prettier", "--check", "."] },
  // Every path a Markdown link or a comment names exists (scripts/check-references.ts).
  { name: "references", command: "npm", args: ["run", "--silent", "check:references"] },
  vitest("para-local"),
  // lib/ with a real database: the migrations on PGlite and a throwaway Postgres, shares at rest.
  vitest("lib"),
  // The same contract against Para's SANDBOX: skipped (with a message) unless PARA_API_KEY is a sandbox_ key.
  vitest("sandbox"),
  { name: "build", command: "npx", args: ["next", "build"] },
  vitest("app"),
  {
    name: "playwright",
    command: "npx",
    args: ["playwright", "test"],
    env: { E2E_SKIP_BUILD: "1" },
    report: { file: "test-results/playwright.json", kind: "playwright" },
    needsBuild: true,
  },
];

rmSync("test-results", { recursive: true, force: true });

const failed: string[] = [];
const counts = { passed: 0, failed: 0, skipped: 0 };
for (const step of steps) {
  if (step.needsBuild && failed.includes("build")) {
    process.stdout.write(`\n=== ${step.name}: skipped, the build failed\n`);
    failed.push(step.name);
    continue;
  }
  const started = Date.now();
  process.stdout.write(`\n=== ${step.name}: ${step.command} ${step.args.join(" ")}\n`);
  const result = spawnSync(step.command, step.args, {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...step.env },
  });
  const ok = result.status === 0;
  process.stdout.write(`=== ${step.name} ${ok ? "passed" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  if (!ok) failed.push(step.name);
  if (step.report) addCounts(step.report);
  else if (!ok) counts.failed += 1; // a failed check with no tests of its own still counts
}

function addCounts({ file, kind }: NonNullable<Step["report"]>): void {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8"));
  if (kind === "vitest") {
    counts.passed += report.numPassedTests;
    counts.failed += report.numFailedTests;
    counts.skipped += report.numPendingTests + report.numTodoTests;
  } else {
    counts.passed += report.stats.expected + report.stats.flaky;
    counts.failed += report.stats.unexpected;
    counts.skipped += report.stats.skipped;
  }
}

process.stdout.write(`\n${failed.length ? `failed steps: ${failed.join(", ")}\n` : ""}`);
const summary = `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`;
process.stdout.write(summary);
mkdirSync("test-results", { recursive: true });
writeFileSync("test-results/summary.txt", summary);
process.exit(failed.length ? 1 : 0);
