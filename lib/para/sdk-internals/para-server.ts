import "server-only";
import { type Environment, Para as ParaServer, type PlatformUtils } from "@getpara/server-sdk";
import { getConfig } from "../../config";
import { AppError } from "../../errors";
import type { TouchAnswer } from "./api-client";

// Undocumented ParaServer surface the app relies on (the list is in api-client.ts).

/**
 * The server SDK runs one signing worker per process, shared by every request. A job that fails
 * ends it: the worker protocol has no per-job error, so the worker throws. Until the SDK sees the
 * worker exit it still hands it new jobs, and those are lost with this message, never having run:
 * another user's failed signature costs a concurrent request its own (1 in 10 right after a
 * failure, measured with para-local). Signing jobs lost that way are sent once more; keygen is
 * not (a retry there could create wallets twice).
 */
const LOST_WITH_WORKER = /worker exited unexpectedly/;

/** The platform layer's signing methods (relies on: `PlatformUtils` has these four). */
export const SIGNING_METHODS = ["signMessage", "signTransaction", "sendTransaction", "ed25519Sign"] as const;

/**
 * `ParaServer` as the app uses it. Everything it adds relies on SDK surface Para does not document:
 * - `devLog` (protected): the SDK prints a full state dump on every state change in DEV and SANDBOX;
 *   off unless PARA_DEBUG_LOGS=1.
 * - `getPlatformUtils` (protected): every signing call of the platform layer, wrapped, so every
 *   signing path (the recipes, the smart accounts through permissionless) sends a job lost with a
 *   dying worker once more, and answers a signature Para holds for approval as 409.
 * - `ctx.client.touchSession` (public, undocumented): the last `/touch` answer is kept, so the
 *   `isSessionActive()` the guide calls also tells the app Para's session id, at no extra call.
 * - the getters `currentWalletIds` and `cosmosPrefix` (public, undocumented): the wallet selection
 *   the instance holds, to show the user's wallets as the SDK would.
 */
export class AppParaServer extends ParaServer {
  constructor(env: Environment, apiKey: string, opts: { disableWebSockets: boolean }) {
    super(env, apiKey, opts);
    const client = this.ctx.client;
    const touch = client.touchSession.bind(client);
    client.touchSession = async (regenerate) => {
      const answer = await touch(regenerate);
      lastTouches.set(this, answer);
      return answer;
    };
  }

  /** Para's last `/touch` answer for this instance (after `isSessionActive()`: the imported session's). */
  get lastTouch(): TouchAnswer | undefined {
    return lastTouches.get(this);
  }

  /** The wallets the instance has selected for the session, by type, and the partner's Cosmos address prefix. */
  walletSelection(): { currentWalletIds: Partial<Record<string, string[]>>; cosmosPrefix?: string } {
    return { currentWalletIds: this.currentWalletIds, cosmosPrefix: this.cosmosPrefix };
  }

  protected override devLog(...parts: unknown[]): void {
    if (getConfig().para.debugLogs) super.devLog(...parts);
  }

  /**
   * A signature Para holds (`pendingTransactionId`: a policy or a transaction review waits for the
   * user's approval) becomes 409 `approval_required`. The browser SDK would open the review in a
   * popup; the server SDK cannot (ServerUtils throws "OpenPopup is not implemented").
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

// Not a private field: ParaCore's constructor binds every member, getters included, before a
// subclass's fields exist.
const lastTouches = new WeakMap<AppParaServer, TouchAnswer>();

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
