import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { PARTNER_ID } from "../../para-local/test/controls";

/** Where the app under test listens: not 3000 (next dev), 3100 (Playwright), 8080 or 3003 (para-local). */
export const APP_PORT = 3101;
export const APP_LOG = path.resolve("test-results/app-server.log");

declare module "vitest" {
  export interface ProvidedContext {
    appUrl: string;
    appLog: string;
  }
}

/**
 * Starts the production build (`npm start`: migrations, then `next start`) with a fresh data
 * folder, its output captured to a file the tests read. Each test file starts its own
 * para-local, so it can also stop it.
 */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "para-app-test-"));
  mkdirSync(path.dirname(APP_LOG), { recursive: true });
  const log = createWriteStream(APP_LOG);
  const app = spawn("npm", ["start", "--silent", "--", "-p", String(APP_PORT)], {
    env: {
      ...process.env,
      // As deployed (vitest sets NODE_ENV=test, which `next start` would keep): Secure, `__Host-` cookies.
      NODE_ENV: "production",
      PARA_DATA_DIR: dataDir,
      PARA_TIMEOUT_MS: "5000",
      NEXT_TELEMETRY_DISABLED: "1",
      PARA_API_KEY: "",
      // para-local's partner id is what its JWTs name as `aud`; a short JWKS cooldown lets the rotation test refetch quickly.
      PARA_JWT_AUDIENCE: PARTNER_ID,
      PARA_JWKS_COOLDOWN_MS: "1000",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  app.stdout.pipe(log);
  app.stderr.pipe(log);
  const exited = new Promise<void>((resolve) => app.once("exit", () => resolve()));

  const appUrl = `http://localhost:${APP_PORT}`;
  await waitForHealth(`${appUrl}/api/health`, exited);
  project.provide("appUrl", appUrl);
  project.provide("appLog", APP_LOG);

  return async () => {
    if (app.exitCode === null) process.kill(-app.pid!, "SIGTERM");
    await exited;
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

async function waitForHealth(url: string, exited: Promise<void>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`the app exited before answering; see ${APP_LOG} (was it built? npx next build)`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within 120s; see ${APP_LOG}`);
}
