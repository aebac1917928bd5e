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

/** Para's answer text for a refused API key, partner or origin (para-local: "invalid API key"), as opposed to a refused session. */
export function isApiKeyRefusal(message: unknown): boolean {
  const text = typeof message === "string" ? message : JSON.stringify(message ?? "");
  return /\b(api key|partner|origin)\b/i.test(text);
}

let keyProblemLogged = false;

/** A refused API key: 502 for the caller, and one log line per process naming the problem (the key itself is never logged). */
export function apiKeyRefused(what: string, cause: unknown): AppError {
  if (!keyProblemLogged) {
    keyProblemLogged = true;
    process.stderr.write(
      `[app] Para refused this app's API key (${what}): check PARA_API_KEY, its environment, and the partner's allowed origins and IPs in Para's developer portal. Sessions are kept.\n`,
    );
  }
  return new AppError("upstream_error", "Para refused this app's API key. No session was ended; the operator has been told.", { cause });
}

export function sessionEnded(cause?: unknown): AppError {
  return new AppError("session_expired", "Your Para session has ended. Sign in again.", { cause });
}

/**
 * `callPara` for a call about one session (`issueJwt`, keep-alive): Para answers 401 or 403 for a
 * session that has ended, so that is `session_expired` — unless the refusal is about the app's API
 * key, which would make every session read as ended: then it is an upstream error that ends nothing.
 */
export async function callParaForSession<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await callPara(what, call);
  } catch (error) {
    const cause = error instanceof AppError ? (error.cause as { status?: unknown; message?: unknown } | undefined) : undefined;
    if (cause?.status === 401 || cause?.status === 403) {
      if (isApiKeyRefusal(cause.message)) throw apiKeyRefused(what, error);
      throw sessionEnded(cause);
    }
    throw error;
  }
}

/**
 * Asks Para about a session the server holds, and asks once more when the answer is "it has
 * ended" (`session_expired`) before that counts: a team saw Para answer one false negative for a
 * live session, and forgetting a session is something the user cannot undo. Any other answer
 * stands as it is.
 */
export async function askTwiceBeforeEnding<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    if (!(error instanceof AppError && error.code === "session_expired")) throw error;
    return ask();
  }
}
