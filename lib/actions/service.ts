import "server-only";
import { RetryableError } from "workflow";
import { AppError, toAppError } from "../errors";
import { passPointOfNoReturn } from "../http/idempotency";
import { logError } from "../log";
import { findGrant } from "../grants/store";
import { requireHeldSession, withHeldSessionSigner } from "../session/service";
import { scheduledMessage } from "../signing/demo";
import { signPart } from "../signing/examples";
import type { SigningLibrary } from "../signing/types";
import { cancelRun, start } from "../workflows/engine";
import { runScheduledAction } from "../workflows/scheduled-action";
import {
  countScheduled,
  endScheduled,
  findAction,
  finishAction,
  insertAction,
  listActions,
  type ScheduledAction,
  setActionRun,
  claimAction,
} from "./store";

/** How many not-yet-run actions one user may hold. */
export const MAX_SCHEDULED_PER_USER = 20;
/** What `insertAction` makes: anything else names no action. */
const ACTION_ID = /^act_[A-Za-z0-9_-]{16}$/;
/** How long the grant must last past an action's `at`. */
export const GRANT_MARGIN_MS = 60_000;
/** How long an attempt may take before it counts as interrupted (lib/workflows/scheduled-action.ts waits as long). */
const SIGNING_LEASE_MS = 5 * 60_000;

export interface ActionRequest {
  at: Date;
  library: SigningLibrary;
  kind: "message" | "transaction";
  message?: string;
}

/** An action as the API shows it (never the session it signs with). */
export interface ActionView {
  id: string;
  status: ScheduledAction["status"];
  at: string;
  library: SigningLibrary;
  kind: "message" | "transaction";
  message?: string;
  result?: ScheduledAction["result"];
  error?: { code: string };
  createdAt: string;
  finishedAt?: string;
}

/** Schedules signing at `at` with the cookie's session; its grant must cover `at` (409 `grant_required`). */
export async function scheduleAction(request: ActionRequest): Promise<ActionView> {
  if (request.at.getTime() <= Date.now()) throw new AppError("bad_request", "`at` must be in the future.");
  const { userId, paraSessionId, hasSigners } = await requireHeldSession();
  if (!hasSigners) {
    throw new AppError(
      "signers_required",
      "The server holds your session without signers. Send it again with signers to schedule signing.",
    );
  }
  const grant = await findGrant(paraSessionId);
  // A minute to spare: at `until` the grant's run ends the grant and fails what is left.
  if (!grant || grant.until.getTime() < request.at.getTime() + GRANT_MARGIN_MS) {
    throw new AppError(
      "grant_required",
      "Let this app act for you until at least a minute after `at` first: PUT /api/session/grant {until}.",
    );
  }
  if ((await countScheduled(userId)) >= MAX_SCHEDULED_PER_USER) {
    throw new AppError("rate_limited", `You can hold at most ${MAX_SCHEDULED_PER_USER} scheduled actions. Cancel one first.`);
  }
  const action = await insertAction({
    userId,
    paraSessionId,
    grantId: grant.grantId,
    at: request.at,
    library: request.library,
    kind: request.kind,
    message: request.kind === "message" ? (request.message ?? null) : null,
  });
  let run: Awaited<ReturnType<typeof start>>;
  try {
    run = await start(runScheduledAction, [action.id, action.at.toISOString()]);
  } catch (error) {
    // No run, so it would never happen: say so in the list too.
    await endScheduled({ id: action.id, userId }, { status: "failed", errorCode: "not_started" }).catch(() => undefined);
    throw error;
  }
  passPointOfNoReturn();
  try {
    await setActionRun(action.id, run.runId);
  } catch (error) {
    // A run that is not recorded can never act (performAction): stop it, and say so in the list.
    await endScheduled({ id: action.id, userId }, { status: "failed", errorCode: "not_started" }).catch(() => undefined);
    await cancelRun(run.runId);
    throw error;
  }
  return actionView(action);
}

/** The actions of the signed-in Para user (any of their sessions), newest first. */
export async function listUserActions(userId: string): Promise<ActionView[]> {
  return (await listActions(userId)).map(actionView);
}

/** Cancels an action of `userId` that has not started: 404 if it is not theirs, 409 once it has started or ended. */
export async function cancelAction(userId: string, id: string): Promise<ActionView> {
  if (!ACTION_ID.test(id)) throw new AppError("not_found", "No such action.");
  const [cancelled] = await endScheduled({ id, userId }, { status: "cancelled" });
  if (cancelled) {
    await cancelRun(cancelled.runId);
    return actionView(cancelled);
  }
  const action = await findAction(id);
  if (action?.userId !== userId) throw new AppError("not_found", "No such action.");
  throw new AppError("action_started", `This action is ${action.status}: only a scheduled one can be cancelled.`);
}

/**
 * The action's run at `at`: Para confirms the session, the attempt is recorded (with the grant
 * checked in the same statement), then the signer is asked, once. Only the action's own run
 * (`runId`) may act, never before `at`, and only under the grant it was scheduled with. Para
 * failing before the attempt is recorded throws (the engine retries the step); anything after it
 * is recorded as the outcome, never retried. An attempt still unfinished after SIGNING_LEASE_MS
 * (the server died mid-signing) is recorded as `signing_interrupted` by `giveUpAction`, and
 * nothing is signed again.
 */
export async function performAction(id: string, runId: string): Promise<void> {
  const action = await findAction(id);
  if (!action) return;
  // Recorded just after the run started: a step this early waits for it.
  if (action.runId === null) throw new RetryableError("the action's run is not recorded yet", { retryAfter: "2s" });
  if (action.runId !== runId) return;
  // Woken early (the clocks of two hosts disagree): wait for `at`.
  if (Date.now() < action.at.getTime()) throw new RetryableError("before the action's time", { retryAfter: action.at });
  if (action.status === "running") {
    throw new RetryableError("an attempt is signing", { retryAfter: new Date(action.startedAt!.getTime() + SIGNING_LEASE_MS) });
  }
  if (action.status !== "scheduled" || (await refuseWithoutGrant(action))) return;
  let startedAt: Date | undefined;
  try {
    const outcome = await withHeldSessionSigner(
      action.paraSessionId,
      action.userId,
      async () => !!(startedAt = await claimAction(id)),
      (para) => signPart(para, action.library, action.kind, scheduledMessage(action.message ?? "", action.id, action.at)),
    );
    // Not claimed: the grant ended while Para was asked.
    if (!outcome.signed) return void (await refuseWithoutGrant(action));
    const signed = outcome.result;
    await finishAction(id, startedAt!, {
      result:
        "signature" in signed
          ? { address: signed.address, message: signed.message, signature: signed.signature }
          : { address: signed.address, broadcast: signed.broadcast },
    });
  } catch (error) {
    const failure = toAppError(error);
    if (failure.status >= 500) logError(`action ${id}`, error);
    const ended = failure.code === "session_expired" || failure.code === "session_invalid";
    if (startedAt) return finishAction(id, startedAt, { errorCode: failure.code });
    if (ended || failure.status < 500) {
      await endScheduled({ id, userId: action.userId }, { status: "failed", errorCode: ended ? "session_expired" : failure.code });
      return;
    }
    throw error;
  }
}

/**
 * The end of run `runId` of an action whose steps failed on every retry, once the lease has
 * passed: one that never started fails `retries_exhausted` (nothing was signed); one whose attempt
 * never finished is `signing_interrupted` (a signature may exist).
 */
export async function giveUpAction(id: string, runId: string): Promise<void> {
  const action = await findAction(id);
  if (!action || action.runId !== runId) return;
  if (action.status === "scheduled")
    await endScheduled({ id, userId: action.userId }, { status: "failed", errorCode: "retries_exhausted" });
  if (action.status === "running" && Date.now() - action.startedAt!.getTime() >= SIGNING_LEASE_MS) {
    await finishAction(id, action.startedAt!, { errorCode: "signing_interrupted" });
  }
}

/** Fails a scheduled action whose grant has ended or been replaced; true if it did. */
async function refuseWithoutGrant(action: ScheduledAction): Promise<boolean> {
  const grant = await findGrant(action.paraSessionId);
  const refusal = grant?.grantId !== action.grantId ? "grant_revoked" : grant.until.getTime() <= Date.now() ? "grant_expired" : undefined;
  if (refusal) await endScheduled({ id: action.id, userId: action.userId }, { status: "failed", errorCode: refusal });
  return refusal !== undefined;
}

function actionView(action: ScheduledAction): ActionView {
  return {
    id: action.id,
    status: action.status,
    at: action.at.toISOString(),
    library: action.library,
    kind: action.kind,
    ...(action.message !== null && { message: action.message }),
    ...(action.result && { result: action.result }),
    ...(action.errorCode && { error: { code: action.errorCode } }),
    createdAt: action.createdAt.toISOString(),
    ...(action.finishedAt && { finishedAt: action.finishedAt.toISOString() }),
  };
}
