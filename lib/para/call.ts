import "server-only";
import { getConfig } from "../config";
import { AppError } from "../errors";

export interface CallParaOptions<T> {
  /**
   * Gets the still-running call when the time limit passed first, to finish what it started (for
   * example, store wallets Para goes on creating). Without it the late result is dropped.
   */
  onLate?: (late: Promise<T>) => void;
}

/**
 * Runs one call to Para with the configured time limit (`PARA_TIMEOUT_MS`, 30 s as Para
 * recommends for signing and key generation). A timeout is `upstream_timeout` (504); a failure
 * without an answer `upstream_unavailable`; Para's 429 or 5xx `upstream_busy` (503, Retry-After);
 * another error status from Para `upstream_error`. The
 * upstream text goes into `cause` (logged), never into the message the caller sees.
 */
export async function callPara<T>(what: string, call: () => Promise<T>, { onLate }: CallParaOptions<T> = {}): Promise<T> {
  const { timeoutMs } = getConfig().para;
  const timedOut = new AppError("upstream_timeout", `Para did not answer within ${Math.round(timeoutMs / 1000)} s (${what}).`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut), timeoutMs);
  });
  const running = Promise.resolve().then(call);
  try {
    return await Promise.race([running, timeout]);
  } catch (error) {
    if (error === timedOut) onLate?.(running);
    if (error instanceof AppError) throw error;
    throw toUpstreamError(what, error);
  } finally {
    clearTimeout(timer);
  }
}

/** An error with an HTTP status is Para answering no; anything else means no answer came. */
function toUpstreamError(what: string, error: unknown): AppError {
  const status = (error as { status?: unknown } | undefined)?.status;
  // Para's rate limit or its own failure is Para being busy, not refusing: come back later, and
  // nothing changes meanwhile.
  if (status === 429 || (typeof status === "number" && status >= 500)) {
    return new AppError("upstream_busy", `Para is not answering normally right now (${what}). Try again in a moment.`, { cause: error });
  }
  if (typeof status === "number") return new AppError("upstream_error", `Para refused the request (${what}).`, { cause: error });
  return new AppError("upstream_unavailable", `Para could not be reached (${what}).`, { cause: error });
}
