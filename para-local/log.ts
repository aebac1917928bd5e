/** Short, readable log lines: `api POST /touch 200 3ms`. Bodies, cookies and keys are never logged. */
export interface Logger {
  request(server: "api" | "portal", method: string, path: string, status: number, ms: number): void;
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

/**
 * `prefix` (on by default) marks each line `[para-local]`, for when para-local runs inside
 * another process (a test run); the CLI turns it off, as its runner names its lines.
 */
export function createLogger({ quiet = false, prefix = true }: { quiet?: boolean; prefix?: boolean } = {}): Logger {
  const tag = prefix ? "[para-local] " : "";
  const write = (line: string) => {
    if (!quiet) process.stdout.write(`${tag}${line}\n`);
  };
  return {
    request(server, method, path, status, ms) {
      if (method !== "OPTIONS") write(`${server} ${method} ${path} ${status} ${Math.round(ms)}ms`);
    },
    info: write,
    error(message, error) {
      // Errors are printed even when quiet: a test that fails should say why.
      const reason = error instanceof Error ? error.message : error === undefined ? "" : String(error);
      process.stderr.write(`${tag}error: ${message}${reason ? `: ${reason}` : ""}\n`);
    },
  };
}
