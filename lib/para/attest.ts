import "server-only";
import { AppError } from "../errors";
import { type ParaSessionApi, sessionEnded, type TouchAnswer } from "./api";
import { verifyParaJwt, type VerifiedParaJwt } from "./jwt";
import { appPartnerId } from "./partner";

/** Para's answer for a live session of `userId`: who it says the session belongs to, and its wallet selection. */
export type ConfirmedSession = TouchAnswer & { userId: string };

/**
 * Asks Para (`/touch`, one call) whether the session is signed in, for which app, and whose it is:
 * 401 `session_expired` when Para says it is not signed in; 401 `session_invalid` when it belongs
 * to another Para app, or Para names another user than `userId` — the one the caller believes it
 * holds (the blob's claim on import, Para's own answer later). One answer only: a session the
 * server already holds has its "no" confirmed first (lib/session/lifecycle.ts), and there a
 * partner that is not this app's is Para (or the configuration) misbehaving, since a stored
 * session cannot change app: `held` makes that an upstream error that ends nothing.
 */
export async function confirmSessionUser(
  session: { touch(): Promise<TouchAnswer> },
  userId: string,
  { held = false }: { held?: boolean } = {},
): Promise<ConfirmedSession> {
  const answer = await session.touch();
  if (!answer.isAuthenticated || !answer.userId) throw sessionEnded();
  if (answer.partnerId !== (await appPartnerId())) {
    if (held) throw new AppError("upstream_error", "Para named another app for a session this app holds. No session was ended.");
    throw new AppError("session_invalid", "This Para session belongs to another app.", { status: 401 });
  }
  if (answer.userId !== userId) {
    throw new AppError("session_invalid", "The session's userId is not the user Para says the session belongs to.", { status: 401 });
  }
  return { ...answer, userId: answer.userId };
}

/** The session's identity as Para signs it: a JWT issued for the session (one call), verified against the JWKS. */
export async function attestIdentity(api: ParaSessionApi): Promise<VerifiedParaJwt> {
  return verifyParaJwt(await api.issueJwt(), { fromPara: true });
}
