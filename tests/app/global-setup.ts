import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startAppServer } from "../../scripts/app-server";

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
  const app = await startAppServer({
    port: APP_PORT,
    output: log,
    env: {
      // As deployed (vitest sets NODE_ENV=test, which `next start` would keep): Secure, `__Host-` cookies.
      NODE_ENV: "production",
      PARA_DATA_DIR: dataDir,
      PARA_TIMEOUT_MS: "5000",
      PARA_API_KEY: "",
      // No PARA_JWT_AUDIENCE: the app learns its partner id from para-local, as from Para. A short JWKS
      // cooldown lets the rotation test refetch quickly.
      PARA_JWKS_COOLDOWN_MS: "1000",
      // Token-path sessions are asked of Para again after 2 s (60 s by default), so tests see Para's end.
      PARA_TOKEN_RECHECK_SECONDS: "2",
      // The suites create more sets in a run than the hourly cap for all users allows (tests/lib tests the cap).
      PREGEN_GLOBAL_HOURLY_LIMIT: "1000",
    },
  });
  project.provide("appUrl", app.url);
  project.provide("appLog", APP_LOG);

  return async () => {
    await app.stop();
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
