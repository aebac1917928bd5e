import "server-only";
import { RetryableError } from "workflow";
import { getConfig } from "../config";
import { AppError } from "../errors";
import { readExportedSession, withSessionCookie } from "../para/exported-session";
import { extendHeldSession } from "../para/one-call-recheck";
import { sessionEnd } from "../session/lifecycle";
import { requireHeldSession } from "../session/service";
import { deleteServerSessionWithSiblings, loadHeldSession, refreshImportedSession } from "../session/store";
import { cancelRun, start } from "../workflows/engine";
import { endGrant, type GrantView } from "./end-grant";
import { keepGrantAlive } from "../workflows/keep-grant-alive";
import { deleteGrant, findGrant, type Grant, saveGrant, setGrantRun } from "./store";

/** The longest grant: Para's longest session (30 days, its portal's bound), so a grant never outlasts what the team could set. */
export const MAX_GRANT_MS = 30 * 24 * 60 * 60 * 1000;

/** The grant of the cookie's imported session (Para confirms the session first): the user lets the server act until `until`. */
export async function grantCurrentSession(until: Date): Promise<GrantView> {
  const now = Date.now();
  if (until.getTime() <= now) throw new AppError("bad_request", "`until` must be in the future.");
  if (until.getTime() > now + MAX_GRANT_MS) throw new AppError("bad_request", "`until` can be at most 30 days ahead.");
  const { userId, paraSessionId } = await requireHeldSession();
  const { grantId, replacedRunId } = await saveGrant({ paraSessionId, userId, until });
  await cancelRun(replacedRunId);
  let run: Awaited<ReturnType<typeof start>>;
  try {
    run = await start(keepGrantAlive, [paraSessionId, grantId, null]);
  } catch (error) {
    // No run would keep it: no grant either.
    await deleteGrant(paraSessionId, grantId).catch(() => undefined);
    throw error;
  }
  let recorded: boolean;
  try {
    recorded = await setGrantRun(paraSessionId, grantId, run.runId, null);
  } catch (error) {
    // A run that is not recorded never acts: stop it, and take back the grant nothing keeps.
    await deleteGrant(paraSessionId, grantId).catch(() => undefined);
    await cancelRun(run.runId);
    throw error;
  }
  // Granted again meanwhile: that grant has its own run, and this one stops at its first step anyway.
  if (!recorded) await cancelRun(run.runId);
  return { until: until.toISOString() };
}

/** Ends the grant of the cookie's session, if it has one. Safe to call twice. */
export async function revokeCurrentGrant(): Promise<void> {
  const { paraSessionId } = await requireHeldSession();
  await endGrant(paraSessionId, "grant_revoked");
}

/** How long before Para's end a grant's run keeps the session alive: 5 minutes, or a quarter of what is left when that is less. */
const LEAD_MS = 5 * 60_000;
/** The shortest sleep between two wakes (Para failing near its end: the step's retries, then this). */
const MIN_WAKE_MS = 5_000;

/**
 * When run `runId` of a grant wakes next (never after the grant's end); null when the grant is
 * over, or `runId` is not the run that keeps it (a replaced grant's, a duplicate, or one started
 * from outside). A run whose predecessor has not recorded it yet waits for that.
 */
export async function nextGrantWake(
  paraSessionId: string,
  grantId: string,
  runId: string,
  previousRunId: string | null,
): Promise<string | null> {
  const found = await findGrant(paraSessionId);
  if (found?.grantId === grantId && found.runId === previousRunId && found.runId !== runId) {
    throw new RetryableError("this run is not recorded yet", { retryAfter: "2s" });
  }
  const grant = await ownGrant(paraSessionId, grantId, runId);
  if (!grant) return null;
  const now = Date.now();
  if (grant.until.getTime() <= now) {
    await endGrant(paraSessionId, "grant_expired", grantId);
    return null;
  }
  const held = await loadHeldSession(paraSessionId);
  if (!held) {
    await endGrant(paraSessionId, "session_expired", grantId);
    return null;
  }
  const end = held.expiresAt.getTime();
  const wake = Math.max(now + MIN_WAKE_MS, end - Math.min(LEAD_MS, (end - now) / 4));
  return new Date(Math.min(wake, grant.until.getTime())).toISOString();
}

/**
 * Keeps a granted session alive at Para (the one-call client's keep-alive: 3 calls) and moves its
 * row to Para's new end. False when the grant is over (ended here if Para ended the session).
 * Para failing otherwise throws: the engine retries the step.
 */
export async function keepGrantedSessionAlive(paraSessionId: string, grantId: string, runId: string): Promise<boolean> {
  const grant = await ownGrant(paraSessionId, grantId, runId);
  if (!grant) return false;
  if (grant.until.getTime() <= Date.now()) {
    await endGrant(paraSessionId, "grant_expired", grantId);
    return false;
  }
  const held = await loadHeldSession(paraSessionId);
  // Para's end already reaches the grant's: extending would keep the session past the consent.
  if (held && held.expiresAt.getTime() >= grant.until.getTime()) return true;
  try {
    if (!held) throw new AppError("session_expired", "No stored session is left for this grant.");
    const kept = await extendHeldSession(readExportedSession(held.serialized).sessionCookie, held.userId);
    await refreshImportedSession(held, withSessionCookie(held.serialized, kept.sessionCookie), new Date(), sessionEnd(kept.expiresAt));
    return true;
  } catch (error) {
    if (error instanceof AppError && (error.code === "session_expired" || error.code === "session_invalid")) {
      if (held) await deleteServerSessionWithSiblings(held.id, paraSessionId);
      await endGrant(paraSessionId, "session_expired", grantId);
      return false;
    }
    // Para busy, or a row this instance cannot open: the step is retried (lib/workflows/step-failure.ts logs it).
    throw error;
  }
}

/** Hands a grant over from run `runId` to a new run, which plans the next wake (lib/workflows/keep-grant-alive.ts). */
export async function continueGrant(paraSessionId: string, grantId: string, runId: string): Promise<void> {
  if (!(await ownGrant(paraSessionId, grantId, runId))) return;
  // On Vercel a run keeps the deployment that started it: the next one takes the newest.
  const args: [string, string, string] = [paraSessionId, grantId, runId];
  const next = getConfig().database.onVercel
    ? await start(keepGrantAlive, args, { deploymentId: "latest" })
    : await start(keepGrantAlive, args);
  if (!(await setGrantRun(paraSessionId, grantId, next.runId, runId))) await cancelRun(next.runId);
}

/** The grant, if it is still grant `grantId` and `runId` is the run that keeps it. */
async function ownGrant(paraSessionId: string, grantId: string, runId: string): Promise<Grant | undefined> {
  const grant = await findGrant(paraSessionId);
  return grant?.grantId === grantId && grant.runId === runId ? grant : undefined;
}
