import "server-only";
import { Environment, Para as ParaServer } from "@getpara/server-sdk";
import { getConfig } from "../config";
import { AppError } from "../errors";

/**
 * The server SDK with its development logging off: in DEV and SANDBOX it prints a full
 * state dump on every state change, which buries the app's own log lines. Set
 * PARA_DEBUG_LOGS=1 to see them.
 */
class QuietParaServer extends ParaServer {
  protected override devLog(...parts: unknown[]): void {
    if (getConfig().para.debugLogs) super.devLog(...parts);
  }
}

export type { ParaServer };

/**
 * A new server SDK instance. Call once per request and never share it: one instance holds
 * one user's session. Instances that only validate (`signing: false`) skip the signing
 * worker, which would otherwise be downloaded and kept running.
 */
export function createParaServer({ signing }: { signing: boolean }): ParaServer {
  const { para } = getConfig();
  return new QuietParaServer(Environment[para.environment], para.apiKey, {
    disableWebSockets: !signing,
  });
}

/**
 * Runs one call to Para with the configured time limit. A timeout or a failure without an
 * answer is `upstream_unavailable`; an error status from Para is `upstream_error`. The upstream text
 * goes into `cause` (logged), never into the message the caller sees.
 */
export async function callPara<T>(what: string, call: () => Promise<T>): Promise<T> {
  const { timeoutMs } = getConfig().para;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError("upstream_unavailable", `Para did not answer in time (${what}).`)), timeoutMs);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (error) {
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
