import "server-only";
import { Environment, Para as ParaServer, type PlatformUtils } from "@getpara/server-sdk";
import { getConfig } from "../config";
import { AppError } from "../errors";

/** The server SDK as the app uses it: two behaviours of the browser SDK a server has no use for are changed. */
class AppParaServer extends ParaServer {
  /**
   * Development logging off: in DEV and SANDBOX the SDK prints a full state dump on every state
   * change, which buries the app's own log lines. Set PARA_DEBUG_LOGS=1 to see them.
   */
  protected override devLog(...parts: unknown[]): void {
    if (getConfig().para.debugLogs) super.devLog(...parts);
  }

  /**
   * Signing that Para holds: it may answer a signature with `pendingTransactionId` (a policy or
   * a transaction review waits for the user's approval). The browser SDK then opens the review in
   * a popup; the server SDK cannot (ServerUtils throws "OpenPopup is not implemented", and for a
   * pregenerated wallet, with no user signed in, it fails before that). Every signing call of the
   * platform layer is wrapped so that answer becomes 409 `approval_required`, with the id.
   */
  protected override getPlatformUtils(): PlatformUtils {
    const utils = super.getPlatformUtils();
    for (const method of ["signMessage", "signTransaction", "sendTransaction", "ed25519Sign"] as const) {
      const sign = utils[method].bind(utils) as (...args: unknown[]) => Promise<object>;
      Object.assign(utils, { [method]: async (...args: unknown[]) => refuseHeldSignature(await sign(...args)) });
    }
    return utils;
  }
}

function refuseHeldSignature<T extends object>(answer: T): T {
  const pending = (answer as { pendingTransactionId?: unknown }).pendingTransactionId;
  if (typeof pending !== "string" || pending === "") return answer;
  throw new AppError(
    "approval_required",
    "Para is holding this signature until it is approved (a policy or transaction review on this wallet). Approve it in Para, then try again.",
    { details: { pendingTransactionId: pending } },
  );
}

export type { ParaServer };

/**
 * A new server SDK instance. Call once per request and never share it: one instance holds
 * one user's session. Instances that only validate (`signing: false`) skip the signing
 * worker, which would otherwise be downloaded and kept running.
 */
export function createParaServer({ signing }: { signing: boolean }): ParaServer {
  const { para } = getConfig();
  return new AppParaServer(Environment[para.environment], para.apiKey, {
    disableWebSockets: !signing,
  });
}

/**
 * The server SDK runs one signing worker per process, shared by every request. A job that fails
 * ends it: the worker protocol has no per-job error, so the worker throws (Para's, and
 * para-local's, which is why). The SDK rejects the jobs it has, but until it sees the worker exit
 * it still hands the dying worker new jobs, and those are lost with this message, never having
 * run: another user's failed signature costs a concurrent request its own (1 in 10 right after
 * a failure, measured with para-local).
 */
const LOST_WITH_WORKER = /worker exited unexpectedly/;

export interface CallParaOptions<T> {
  /**
   * Gets the still-running call when the time limit passed first, to finish what it started (for
   * example, store wallets Para goes on creating). Without it the late result is dropped.
   */
  onLate?: (late: Promise<T>) => void;
  /** For signatures: a job lost with a dying worker never ran, so it is sent once more (the SDK starts a new worker). */
  retryLostJob?: boolean;
}

/**
 * Runs one call to Para with the configured time limit (`PARA_TIMEOUT_MS`, 30 s as Para
 * recommends for signing and key generation). A timeout is `upstream_timeout` (504); a failure
 * without an answer `upstream_unavailable`; an error status from Para `upstream_error`. The
 * upstream text goes into `cause` (logged), never into the message the caller sees.
 */
export async function callPara<T>(what: string, call: () => Promise<T>, { onLate, retryLostJob }: CallParaOptions<T> = {}): Promise<T> {
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
    if (retryLostJob && error instanceof Error && LOST_WITH_WORKER.test(error.message)) return callPara(what, call, { onLate });
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
