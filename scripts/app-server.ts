/**
 * The one way the test suites and the benchmarks start the app: the production build
 * (`npm start`: migrations, then `next start`) in its own process group, ready once
 * `/api/health` answers. Playwright starts it through its `webServer` setting instead.
 */
import { spawn } from "node:child_process";
import type { Writable } from "node:stream";
import waitOn from "wait-on";

export interface AppServer {
  url: string;
  /** Resolves when the server has exited (after `stop()`, or on its own). */
  exited: Promise<void>;
  stop(): Promise<void>;
}

export async function startAppServer({
  port,
  env,
  output,
}: {
  port: number;
  env: Record<string, string>;
  output?: Writable;
}): Promise<AppServer> {
  const child = spawn("npm", ["start", "--silent", "--", "-p", String(port)], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", output ? "pipe" : "ignore", output ? "pipe" : "ignore"],
    detached: true,
  });
  if (output) {
    child.stdout?.pipe(output, { end: false });
    child.stderr?.pipe(output, { end: false });
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://localhost:${port}`;
  const stop = async () => {
    // `npm start` runs migrations and then next start: end the whole group, not only npm.
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGTERM");
    await exited;
  };
  const gone = exited.then(() => {
    throw new Error(`the app exited before ${url}/api/health answered (was it built? npx next build)`);
  });
  try {
    await Promise.race([
      waitOn({ resources: [`http-get://localhost:${port}/api/health`], timeout: 120_000, interval: 200, window: 0 }),
      gone,
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  void gone.catch(() => {});
  return { url, exited, stop };
}
