import "server-only";
import { AppError } from "../errors";
import { askTwiceBeforeEnding, callPara, callParaForSession, sessionEnded } from "./call";
import { verifyParaJwt, type VerifiedParaJwt } from "./jwt";
import { appPartnerId } from "./partner";
import { createParaApiClient, type TouchAnswer } from "./sdk-internals/api-client";

// The app's own optimization, for sessions the server already holds (imported and stored).
//
// Para's guide checks a session with `new ParaServer()` → `importSession()` → `isSessionActive()`.
// `isSessionActive()` is one `POST /touch` that answers `isAuthenticated`. But constructing a
// `ParaServer` first makes five calls of its own, none about the session (an anonymous `/touch`,
// `/partners/:id`, two more `/touch`, `/logout`): six calls for one answer. A held session was
// already imported once, the guide's way (lib/session/service.ts); here the same `/touch` goes
// through the SDK's own API client, without the instance around it: one call, which also names
// the user and the app the session belongs to. `npm run bench` compares the two.

/** Para's answer for a live session the server holds. */
export interface Rechecked {
  /** Para's `/touch` answer: signed in, this app's, this user's. */
  touch: TouchAnswer & { userId: string };
  /** The session cookie as Para last sent it (it may rotate it); store this one. */
  sessionCookie: string;
}

/**
 * Is the held session (its cookie as stored) still signed in, this app's, and `userId`'s? One
 * `/touch`, and a second one before a "no" counts (`askTwiceBeforeEnding`). Each ask sends the
 * server's own cookie, never the anonymous one Para swaps in with a "no". Another user is 401
 * `session_invalid`; another app is Para (or the configuration) misbehaving, since a stored
 * session cannot change app: an upstream error that ends nothing.
 */
export function recheckHeldSession(sessionCookie: string, userId: string): Promise<Rechecked> {
  return askTwiceBeforeEnding(() => touchHeld(sessionCookie, userId));
}

async function touchHeld(sessionCookie: string, userId: string): Promise<Rechecked> {
  let cookie = sessionCookie;
  const client = createParaApiClient(sessionCookie, (next) => (cookie = next));
  const touch = await touchSession(() => client.touchSession(false));
  if (!touch.isAuthenticated || !touch.userId) throw sessionEnded();
  if (touch.partnerId !== (await appPartnerId())) {
    throw new AppError("upstream_error", "Para named another app for a session this app holds. No session was ended.");
  }
  if (touch.userId !== userId) throw new AppError("session_invalid", "Para now names another user for this session.");
  return { touch: { ...touch, userId: touch.userId }, sessionCookie: cookie };
}

/**
 * A grant's way to extend a held session (lib/grants/service.ts): the re-check above, then keep-alive and a JWT
 * for the new end through the same client — 3 calls, where the guide's `ParaServer` would make 7
 * (5 to construct, `keepSessionAlive()`, `issueJwt()`). A refused keep-alive of a live session is
 * Para failing (502), not the session ending; so is a JWT that does not verify.
 */
export async function extendHeldSession(sessionCookie: string, userId: string): Promise<Rechecked & { expiresAt: Date }> {
  const held = await recheckHeldSession(sessionCookie, userId);
  let cookie = held.sessionCookie;
  const client = createParaApiClient(cookie, (next) => (cookie = next));
  try {
    await callParaForSession("keepSessionAlive", () => client.keepSessionAlive(userId));
  } catch (error) {
    if (!(error instanceof AppError && error.code === "session_expired")) throw error;
    await recheckHeldSession(cookie, userId);
    throw new AppError("upstream_error", "Para refused to extend a session it says is live. Try again later.", { cause: error });
  }
  const { identity, expiresAt } = await issueHeldJwt(
    () => client.issueJwt({ keyIndex: 0 }),
    () => recheckHeldSession(cookie, userId),
  );
  if (identity.userId !== userId) throw new AppError("session_invalid", "Para's token for this session names another user.");
  return { ...held, sessionCookie: cookie, expiresAt };
}

/**
 * A JWT Para issues for a held session, verified. A refused issue (401/403) is checked with
 * `confirmLive` before the session counts as ended; a token that does not verify (a clock that
 * disagrees with Para's, a JWKS behind a key rotation) is Para's side failing: nothing ends.
 */
export async function issueHeldJwt(issue: () => Promise<{ token: string }>, confirmLive: () => Promise<unknown>): Promise<VerifiedParaJwt> {
  let token: string;
  try {
    ({ token } = await callParaForSession("issueJwt", issue));
  } catch (error) {
    if (!(error instanceof AppError && error.code === "session_expired")) throw error;
    await confirmLive();
    throw new AppError("upstream_error", "Para refused a token for a session it says is live. No session was ended.", { cause: error });
  }
  try {
    return await verifyParaJwt(token, { fromPara: true });
  } catch (error) {
    if (error instanceof AppError && error.status >= 500) throw error;
    throw new AppError("upstream_error", "Para's token for this session could not be used. No session was ended.", { cause: error });
  }
}

/**
 * Para answers a session that has ended with 200 and `isAuthenticated: false`, so a 401 or 403 to
 * `/touch` is Para refusing the app (its key, its origin or IP allowlist): an upstream error.
 */
function touchSession(touch: () => Promise<TouchAnswer>): Promise<TouchAnswer> {
  return callPara("touchSession", touch);
}
