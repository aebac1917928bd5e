import "server-only";
import { Environment, Para as ParaServer, type PlatformUtils } from "@getpara/server-sdk";
import { getConfig } from "../config";
import { AppError } from "../errors";

/**
 * The server SDK runs one signing worker per process, shared by every request. A job that fails
 * ends it: the worker protocol has no per-job error, so the worker throws (Para's, and
 * para-local's, which is why). The SDK rejects the jobs it has, but until it sees the worker exit
 * it still hands the dying worker new jobs, and those are lost with this message, never having
 * run: another user's failed signature costs a concurrent request its own (1 in 10 right after
 * a failure, measured with para-local). Signing jobs lost that way are sent once more; keygen is
 * not (a retry there could create wallets twice).
 */
const LOST_WITH_WORKER = /worker exited unexpectedly/;

const SIGNING_METHODS = ["signMessage", "signTransaction", "sendTransaction", "ed25519Sign"] as const;

/** The server SDK as the app uses it: its development logging, and its signing calls (held signatures, lost jobs). */
class AppParaServer extends ParaServer {
  /**
   * Development logging off: in DEV and SANDBOX the SDK prints a full state dump on every state
   * change, which buries the app's own log lines. Set PARA_DEBUG_LOGS=1 to see them.
   */
  protected override devLog(...parts: unknown[]): void {
    if (getConfig().para.debugLogs) super.devLog(...parts);
  }

  /**
   * Every signing call of the SDK's platform layer, wrapped, so all signing paths (the recipes,
   * the smart accounts through permissionless) get the same two answers:
   * - a job lost with a dying worker (see LOST_WITH_WORKER) is sent once more;
   * - a signature Para holds (`pendingTransactionId`: a policy or a transaction review waits for
   *   the user's approval) becomes 409 `approval_required`, with the id. The browser SDK would open
   *   the review in a popup; the server SDK cannot (ServerUtils throws "OpenPopup is not
   *   implemented", and for a pregenerated wallet, with no user signed in, it fails before that).
   */
  protected override getPlatformUtils(): PlatformUtils {
    const utils = super.getPlatformUtils();
    for (const method of SIGNING_METHODS) {
      const sign = utils[method].bind(utils) as (...args: unknown[]) => Promise<object>;
      Object.assign(utils, { [method]: async (...args: unknown[]) => refuseHeldSignature(await resendIfLost(() => sign(...args))) });
    }
    return utils;
  }
}

/** A signing job lost with a dying worker never ran: send it once more (the SDK starts a new worker). */
async function resendIfLost<T>(sign: () => Promise<T>): Promise<T> {
  try {
    return await sign();
  } catch (error) {
    if (error instanceof Error && LOST_WITH_WORKER.test(error.message)) return sign();
    throw error;
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
