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
 * without an answer `upstream_unavailable`; an error status from Para `upstream_error`. The
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
  if (typeof status === "number") return new AppError("upstream_error", `Para refused the request (${what}).`, { cause: error });
  return new AppError("upstream_unavailable", `Para could not be reached (${what}).`, { cause: error });
}
