import { type ChildProcess, spawn } from "node:child_process";

/** A child process whose output is prefixed and whose exit we can await. */
export interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number>;
}

/** Starts a command from node_modules/.bin (or node itself) in its own process group. */
export function startChild(name: string, command: string, args: string[], env: Record<string, string> = {}): Child {
  const child = spawn(command, args, {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    detached: true,
  });
  const exited = new Promise<number>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.once("error", (error) => {
      process.stderr.write(`${name}: ${error.message}\n`);
      resolve(1);
    });
  });
  return { name, process: child, exited };
}

/** Asks each child's process group to stop (SIGTERM), then waits for all of them. */
export async function stopChildren(children: Child[]): Promise<void> {
  for (const { process: child } of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  }
  await Promise.all(children.map((child) => child.exited));
}

/** Resolves once `url` answers 2xx, or rejects after `timeoutMs` or when `child` exits first. */
export async function waitForUrl(url: string, timeoutMs: number, child?: Child): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child?.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${child?.name} exited before ${url} answered`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}
