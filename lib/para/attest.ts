import "server-only";
import { AppError } from "../errors";
import { type ParaSessionApi, sessionEnded, type TouchAnswer } from "./api";
import { verifyParaJwt, type VerifiedParaJwt } from "./jwt";

/** Para's answer for a live session of `userId`: who it says the session belongs to, and its wallet selection. */
export type ConfirmedSession = TouchAnswer & { userId: string };

/**
 * Asks Para (`/touch`, one call) whether the session is signed in and whose it is. A "not signed
 * in" is asked once more before it counts (a team saw Para answer one false negative for a live
 * session; the server then forgets the session, which the user cannot undo): 401
 * `session_expired` after two; 401 `session_invalid` when Para names another user than
 * `userId` — the one the caller believes it holds (the blob's claim on import, Para's own answer later).
 * `session` is a `ParaSessionApi`, or a `ParaServer` instance's own `touchSession` when it is about to act.
 */
export async function confirmSessionUser(session: { touch(): Promise<TouchAnswer> }, userId: string): Promise<ConfirmedSession> {
  let answer = await session.touch();
  if (!answer.isAuthenticated || !answer.userId) answer = await session.touch();
  if (!answer.isAuthenticated || !answer.userId) throw sessionEnded();
  if (answer.userId !== userId) {
    throw new AppError("session_invalid", "The session's userId is not the user Para says the session belongs to.", { status: 401 });
  }
  return { ...answer, userId: answer.userId };
}

/** The session's identity as Para signs it: a JWT issued for the session (one call), verified against the JWKS. */
export async function attestIdentity(api: ParaSessionApi): Promise<VerifiedParaJwt> {
  return verifyParaJwt(await api.issueJwt(), { fromPara: true });
}
