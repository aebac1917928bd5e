import "server-only";
import { UnsealError } from "../crypto/envelope";
import { AppError } from "../errors";
import { logError } from "../log";
import { readExportedSession, withSessionCookie } from "../para/exported-session";
import { extendHeldSession } from "../para/one-call-recheck";
import { sessionEnd } from "../session/lifecycle";
import { requireHeldSession } from "../session/service";
import { deleteServerSessionWithSiblings, loadHeldSession, refreshImportedSession } from "../session/store";
import { cancelRun, start } from "../workflows/engine";
import { endGrant, type GrantView } from "./end-grant";
import { keepGrantAlive } from "../workflows/keep-grant-alive";
import { deleteGrant, findGrant, type Grant, saveGrant, setGrantRun } from "./store";

/** The longest grant: Para's longest session (30 days, its portal's bound), so consent never outlives what a user could choose there. */
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
    run = await start(keepGrantAlive, [paraSessionId, grantId]);
  } catch (error) {
    // No run would keep it: no grant either.
    await deleteGrant(paraSessionId, grantId).catch(() => undefined);
    throw error;
  }
  // Granted again meanwhile: that grant has its own run, and this one stops at its first step anyway.
  if (!(await setGrantRun(paraSessionId, grantId, run.runId))) await cancelRun(run.runId);
  return { until: until.toISOString() };
}

/** Ends the grant of the cookie's session, if it has one. Safe to call twice. */
export async function revokeCurrentGrant(): Promise<void> {
  const { paraSessionId } = await requireHeldSession();
  await endGrant(paraSessionId, "grant_revoked");
}

/** When a grant's run wakes next: shortly before Para's end, never after the grant's; null when it is over. */
export async function nextGrantWake(paraSessionId: string, grantId: string): Promise<string | null> {
  const grant = await ownGrant(paraSessionId, grantId);
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
export async function keepGrantedSessionAlive(paraSessionId: string, grantId: string): Promise<boolean> {
  const grant = await ownGrant(paraSessionId, grantId);
  if (!grant) return false;
  if (grant.until.getTime() <= Date.now()) {
    await endGrant(paraSessionId, "grant_expired", grantId);
    return false;
  }
  const held = await loadHeldSession(paraSessionId);
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
    // Para busy, or a row this instance cannot open: logged (never a secret), and the step is retried.
    logError("grant-keep-alive", error instanceof UnsealError ? new Error("the stored session does not open here") : error);
    throw error;
  }
}

/** The grant, if it is still grant `grantId` (a replaced grant's run stops). */
async function ownGrant(paraSessionId: string, grantId: string): Promise<Grant | undefined> {
  const grant = await findGrant(paraSessionId);
  return grant?.grantId === grantId ? grant : undefined;
}

/** How long before Para's end the run keeps the session alive: 5 minutes, or a quarter of what is left when that is less. */
const LEAD_MS = 5 * 60_000;
/** The shortest sleep between two wakes (Para failing near the end: the step's retries, then this). */
const MIN_WAKE_MS = 5_000;
