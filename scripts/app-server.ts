/**
 * The one way the test suites and the benchmarks start a server: its own process group, ready
 * once its health URL answers. `startAppServer` is the production build (`npm start`: migrations,
 * then `next start`); Playwright starts that through its `webServer` setting instead.
 */
import { execFileSync, spawn } from "node:child_process";
import type { Writable } from "node:stream";
import waitOn from "wait-on";

export interface RunningServer {
  url: string;
  /** Resolves when the server has exited (after `stop()`, or on its own). */
  exited: Promise<void>;
  /** Resident memory of the server: the largest process in its group (npm and tsx wrap it). */
  rssBytes(): number;
  stop(): Promise<void>;
}

export function startAppServer(options: { port: number; env: Record<string, string>; output?: Writable }): Promise<RunningServer> {
  return startServer({
    command: "npm",
    args: ["start", "--silent", "--", "-p", String(options.port)],
    healthPath: "/api/health",
    ...options,
  });
}

export async function startServer({
  command,
  args,
  port,
  healthPath,
  env,
  output,
}: {
  command: string;
  args: string[];
  port: number;
  healthPath: string;
  env: Record<string, string>;
  output?: Writable;
}): Promise<RunningServer> {
  const child = spawn(command, args, {
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
    throw new Error(`${command} ${args.join(" ")} exited before ${url}${healthPath} answered (for the app: was it built? npx next build)`);
  });
  try {
    await Promise.race([
      waitOn({ resources: [`http-get://localhost:${port}${healthPath}`], timeout: 120_000, interval: 200, window: 0 }),
      gone,
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  void gone.catch(() => {});
  const rssBytes = () => {
    const kilobytes = execFileSync("ps", ["-o", "rss=", "-g", String(child.pid)], { encoding: "utf8" })
      .split("\n")
      .map(Number)
      .filter((value) => value > 0);
    return Math.max(0, ...kilobytes) * 1024;
  };
  return { url, exited, rssBytes, stop };
}
