/**
 * `npm test`: type-check, lint, the vitest suites (para-local contract and app integration)
 * and the Playwright specs in Chromium. Every step runs even when an earlier one fails, so
 * one run shows everything that is wrong; the exit code is non-zero if any step failed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";

interface Step {
  name: string;
  command: string;
  args: string[];
}

const VITEST_JSON = "test-results/vitest.json";
const PLAYWRIGHT_JSON = "test-results/playwright.json";

const steps: Step[] = [
  { name: "typecheck", command: "npx", args: ["tsc", "--noEmit"] },
  { name: "lint", command: "npx", args: ["eslint", "."] },
  {
    name: "vitest",
    command: "npx",
    args: ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${VITEST_JSON}`],
  },
  { name: "playwright", command: "npx", args: ["playwright", "test"] },
];

rmSync(VITEST_JSON, { force: true });
rmSync(PLAYWRIGHT_JSON, { force: true });

const failedSteps: string[] = [];
for (const step of steps) {
  const started = Date.now();
  process.stdout.write(`\n=== ${step.name}: ${step.command} ${step.args.join(" ")}\n`);
  const result = spawnSync(step.command, step.args, {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  process.stdout.write(`=== ${step.name} ${ok ? "passed" : "FAILED"} in ${seconds}s\n`);
  if (!ok) failedSteps.push(step.name);
}

const counts = { passed: 0, failed: 0, skipped: 0 };
if (existsSync(VITEST_JSON)) {
  const report = JSON.parse(readFileSync(VITEST_JSON, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  counts.passed += report.numPassedTests;
  counts.failed += report.numFailedTests;
  counts.skipped += report.numPendingTests + report.numTodoTests;
}
if (existsSync(PLAYWRIGHT_JSON)) {
  const { stats } = JSON.parse(readFileSync(PLAYWRIGHT_JSON, "utf8")) as {
    stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  };
  counts.passed += stats.expected + stats.flaky;
  counts.failed += stats.unexpected;
  counts.skipped += stats.skipped;
}
// A step that failed without failing a test (type error, lint, a server that never started) still fails the run.
counts.failed += failedSteps.filter((name) => name === "typecheck" || name === "lint").length;

process.stdout.write(`\n${failedSteps.length ? `failed steps: ${failedSteps.join(", ")}\n` : ""}`);
process.stdout.write(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
process.exit(failedSteps.length ? 1 : 0);
