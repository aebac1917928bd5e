import "server-only";
import { getConfig } from "../config";
import { AppError } from "../errors";
import { endGrant } from "../grants/end-grant";
import { MAX_SESSION_SECONDS } from "./cookie";
import { deleteServerSessionWithSiblings } from "./store";

// A server session's life, beside the service that uses it: how long it lasts (Para's clock, never
// the app's), when a "no" from Para counts, and how the server forgets it.

/**
 * The server's end for a session that Para says ends at `paraEnd` (the `exp` of a JWT Para issued
 * for it): Para's own end, capped at the 30 days no Para session outlives. The blob's cookie
 * `Expires` is never read: it is the browser's copy, and may be stale.
 */
export function sessionEnd(paraEnd: Date, now = new Date()): Date {
  const longest = now.getTime() + MAX_SESSION_SECONDS * 1000;
  const end = paraEnd.getTime();
  return new Date(Number.isFinite(end) ? Math.min(end, longest) : longest);
}

/**
 * The token path's end: `/sessions/verify` names none, so the row lasts at most as long as any
 * Para session can, and Para is asked again whenever the last answer is older than
 * `PARA_TOKEN_RECHECK_SECONDS` (60 s): a session Para ended reads as ended within that bound.
 */
export function tokenSessionEnd(now = new Date()): Date {
  return new Date(now.getTime() + MAX_SESSION_SECONDS * 1000);
}

export function tokenRecheckDue(validatedAt: Date, now = new Date()): boolean {
  return now.getTime() - validatedAt.getTime() >= getConfig().session.tokenRecheckMs;
}

/**
 * Forgets server session `sid`: its row, every other row of the same Para session, and its grant. The cookie
 * is left as it is: it names nothing now (the next request answers 401), and a clearing
 * `Set-Cookie` could land after the browser has signed in again — from a request that was still in
 * flight — and clear the new sign-in's cookie. Only logout clears it.
 */
export async function forgetSession(sid: string): Promise<void> {
  const { paraSessionIds } = await deleteServerSessionWithSiblings(sid);
  for (const paraSessionId of paraSessionIds) await endGrant(paraSessionId, "session_expired");
}

/**
 * Runs a check of session `sid` and forgets the session when Para says it has ended or is not the
 * stored user's (`session_expired`, `session_invalid`). Any other failure — Para unreachable, busy,
 * or refusing the app itself — changes nothing.
 */
export async function forgetOnRefusal<T>(sid: string, check: Promise<T>): Promise<T> {
  try {
    return await check;
  } catch (error) {
    if (error instanceof AppError && (error.code === "session_expired" || error.code === "session_invalid")) await forgetSession(sid);
    throw error;
  }
}
