import "server-only";
import { getConfig } from "../config";
import { AppError } from "../errors";
import { ParaSessionApi } from "../para/api";
import { attestIdentity, type ConfirmedSession, confirmSessionUser } from "../para/attest";
import type { VerifiedParaJwt } from "../para/jwt";
import { readExportedSession } from "../para/exported-session";
import { MAX_SESSION_SECONDS } from "./cookie";
import { deleteServerSessionWithSiblings, type StoredImport } from "./store";

// A server session's life, beside the service that uses it: how long it lasts (Para's clock, never
// the app's), when a "no" from Para counts, and how it is forgotten.

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

/**
 * Para's answer for a session the server holds (its cookie as stored), a "no" asked twice. Each
 * ask is a new client holding the server's own cookie, never the anonymous one Para may swap in
 * with its "no". Answers the client whose cookie Para last renewed, to store.
 */
export function confirmHeldSession(sessionCookie: string, userId: string): Promise<{ api: ParaSessionApi; confirmed: ConfirmedSession }> {
  return askTwiceBeforeEnding(async () => {
    const api = new ParaSessionApi(sessionCookie);
    return { api, confirmed: await confirmSessionUser(api, userId, { held: true }) };
  });
}

/** Para's answer for a held session, as `confirmHeldSession` gives it. */
export interface HeldSession {
  api: ParaSessionApi;
  confirmed: ConfirmedSession;
}

/** `confirmHeldSession` for a stored import-path session. */
export function confirmStored(stored: StoredImport): Promise<HeldSession> {
  return confirmHeldSession(readExportedSession(stored.serialized).sessionCookie, stored.userId);
}

/**
 * Keep-alive for a held session, as the user's request and the keep-alive job both do it: Para
 * confirms it is live and whose; `keepSessionAlive` extends it; a JWT Para issues afterwards says
 * the new end — the cookie's `Expires` is not trusted for it (Para has been seen to answer yes
 * and send the old one back, or none). `moved` says whether the end actually moved later. A
 * refusal of the keep-alive is confirmed with Para before it counts: a live session Para would not
 * extend is Para's failure (502), not the user's.
 */
export async function extendHeldSession(stored: StoredImport): Promise<HeldSession & { expiresAt: Date; moved: boolean }> {
  const held = await confirmStored(stored);
  try {
    await held.api.keepAlive(held.confirmed.userId);
  } catch (error) {
    if (!(error instanceof AppError && error.code === "session_expired")) throw error;
    await confirmHeldSession(held.api.sessionCookie, stored.userId);
    throw new AppError("upstream_error", "Para refused to extend a session it says is live. Try again later.", { cause: error });
  }
  const { identity, expiresAt: paraEnd } = await attestHeld(held, stored);
  if (identity.userId !== stored.userId) {
    throw new AppError("session_invalid", "Para's token for this session names another user.", { status: 401 });
  }
  const expiresAt = sessionEnd(paraEnd);
  return { ...held, expiresAt, moved: expiresAt.getTime() > stored.expiresAt.getTime() };
}

/**
 * The JWT Para issues for a held session, verified. Only a token naming another user counts
 * against the session; a token that does not verify (a clock that disagrees with Para's, a JWKS
 * behind a key rotation, claims the schema does not know) is Para's side failing, and a refused
 * issue (401/403) is asked of Para once more before the session is taken as ended.
 */
async function attestHeld(held: HeldSession, stored: StoredImport): Promise<VerifiedParaJwt> {
  try {
    return await attestIdentity(held.api);
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    const refusedByPara = error.code === "session_expired" && typeof (error.cause as { status?: unknown } | undefined)?.status === "number";
    if (refusedByPara) await confirmHeldSession(held.api.sessionCookie, stored.userId);
    throw new AppError("upstream_error", "Para's token for this session could not be used. No session was ended.", { cause: error });
  }
}

/**
 * Forgets server session `sid`: its row and every other row of the same Para session. The cookie
 * is left as it is: it names nothing now (the next request answers 401), and a clearing
 * `Set-Cookie` could land after the browser has signed in again — from a request that was still in
 * flight — and clear the new sign-in's cookie. Only logout clears it.
 */
export async function forgetSession(sid: string): Promise<void> {
  await deleteServerSessionWithSiblings(sid);
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
