import "server-only";

/**
 * One line per request: `[app] <request id> POST /api/session 200 41ms`. Errors add their
 * class and message chain, never bodies, headers, cookies, tokens or exported sessions.
 */
export function logRequest(entry: { requestId: string; method: string; path: string; status: number; ms: number; code?: string }): void {
  const code = entry.code ? ` ${entry.code}` : "";
  process.stdout.write(`[app] ${entry.requestId} ${entry.method} ${entry.path} ${entry.status} ${Math.round(entry.ms)}ms${code}\n`);
}

export function logError(requestId: string, error: unknown): void {
  process.stderr.write(`[app] ${requestId} error: ${describe(error)}\n`);
}

/** `Name: message ← cause` for the chain, each message cut short: enough to debug, too little to leak. */
function describe(error: unknown, depth = 0): string {
  if (depth > 3) return "…";
  if (!(error instanceof Error)) {
    if (typeof error === "string") return error.slice(0, 200);
    // The SDK's ParaApiError is not an Error subclass: keep its name, status and message.
    const { name, status, message } = (error ?? {}) as { name?: unknown; status?: unknown; message?: unknown };
    if (typeof message !== "string") return typeof error;
    return `${typeof name === "string" ? name : "object"}${typeof status === "number" ? ` (${status})` : ""}: ${message.slice(0, 200)}`;
  }
  const status = (error as { status?: unknown }).status;
  const here = `${error.name}${typeof status === "number" ? ` (${status})` : ""}: ${error.message.slice(0, 200)}`;
  return error.cause === undefined ? here : `${here} ← ${describe(error.cause, depth + 1)}`;
}
