import "server-only";
import { UnsealError } from "../crypto/envelope";
import { AppError } from "../errors";
import { limitSigning } from "../http/rate-limit";
import { logError } from "../log";
import { ParaSessionApi, sessionEnded } from "../para/api";
import { attestIdentity, type ConfirmedSession, confirmSessionUser } from "../para/attest";
import { assertClaimsMatch, readExportedSession, withSessionCookie } from "../para/exported-session";
import type { ParaIdentity } from "../para/identity";
import { verifyParaJwt } from "../para/jwt";
import { callPara } from "../para/call";
import type { ParaServer } from "../para/server";
import { verifyToken } from "../para/verify-token";
import { type WalletView, walletViews } from "../para/wallet-view";
import { clearSessionCookie, getSession, saveSessionCookie, type SessionData, type SessionPath } from "./cookie";
import {
  askTwiceBeforeEnding,
  confirmStored,
  extendHeldSession,
  forgetOnRefusal,
  forgetSession,
  type HeldSession,
  sessionEnd,
  tokenRecheckDue,
  tokenSessionEnd,
} from "./lifecycle";
import {
  deleteRowsOfParaSession,
  deleteServerSession,
  deleteServerSessionWithSiblings,
  loadServerSession,
  refreshImportedSession,
  refreshTokenSession,
  saveServerSession,
  type StoredImport,
  type StoredSession,
  type StoredToken,
} from "./store";

export type { WalletView };

/**
 * How the answer was checked in this request: Para was asked (`para`), a Para JWT's signature
 * was verified (`jwt`, no call to Para), or it is the server's record of an earlier check (`cookie`).
 */
export type CheckedBy = "para" | "jwt" | "cookie";

/** The server's view of the user, as the API answers it. Never holds the session itself. */
export interface ServerSessionView {
  /** Para's user id; null on the token path, whose answer names none. */
  userId: string | null;
  authType: string;
  identifier: string;
  /** How the user signed in when it was with OAuth (`google`, `x`, …): Para's word (JWT or verify answer), never the blob's. */
  oAuthMethod?: string;
  wallets: WalletView[];
  hasSigners: boolean;
  validatedAt: string;
  /** When the session ends, as Para signed it (a JWT's `exp`); absent on the token path, whose answer names no end. */
  expiresAt?: string;
  path: SessionPath;
  checkedBy: CheckedBy;
}

/**
 * Path 1: the browser's exported session → Para → identity → store. The blob only lends its
 * cookie: Para says whose session that is and for which app (`/touch`), and signs the identity and
 * the session's end (`issueJwt`); a blob claiming anything else is refused and nothing is stored.
 * Para's "no" is taken at its word here: the server holds nothing yet that a false one could cost.
 */
export async function startImportedSession(serialized: string): Promise<ServerSessionView> {
  const exported = readExportedSession(serialized);
  const api = new ParaSessionApi(exported.sessionCookie);
  const confirmed = await confirmSessionUser(api, exported.claimedUserId);
  const { identity, expiresAt: paraEnd } = await attestIdentity(api);
  assertClaimsMatch(exported, identity);

  const validatedAt = new Date();
  const stored = {
    path: "import" as const,
    ...identity,
    paraSessionId: confirmed.sessionId,
    hasSigners: exported.hasSigners,
    serialized: withSessionCookie(serialized, api.sessionCookie),
    validatedAt,
    expiresAt: sessionEnd(paraEnd, validatedAt),
  };
  const sid = await saveServerSession(stored);
  // A re-import of the same Para session (from this browser or another) replaces what was stored for it.
  if (stored.paraSessionId) await deleteRowsOfParaSession(stored.paraSessionId, { id: sid, createdAt: validatedAt });
  await replaceCookie({ sid, ...identityFields(identity), path: "import", validatedAt: validatedAt.toISOString() }, stored.expiresAt);
  return importedView(stored, confirmed, validatedAt);
}

/** The cookie's session: asked of Para now (import path; token path once its last answer is old), or as Para signed it (JWT path). */
export async function checkCurrentSession(): Promise<ServerSessionView> {
  const stored = await loadCurrentStored();
  if (stored.path === "jwt") return storedView(stored, "cookie");
  if (stored.path === "token") return checkTokenSession(stored);
  return recordConfirmed(stored, await confirmCurrent(stored));
}

/**
 * Extends the Para session behind the cookie (keep-alive) after Para confirms whose it is, and
 * learns the new end from Para (lib/session/lifecycle.ts): the stored row and the cookie move to
 * it. `extended` says whether the end moved later.
 */
export async function keepCurrentSessionAlive(): Promise<ServerSessionView & { extended: boolean }> {
  const stored = await loadCurrentImport();
  const kept = await forgetOnRefusal(stored.id, extendHeldSession(stored));
  const view = await recordConfirmed(stored, kept, kept.expiresAt);
  await resaveCookie(kept.expiresAt);
  return { extended: kept.moved, ...view };
}

/**
 * Path 2: ask Para about a verification token and keep its answer server-side (with the token,
 * sealed, to ask again); an imported session of the same user is kept instead.
 */
export async function startTokenSession(verificationToken: string): Promise<ServerSessionView> {
  const verified = await verifyToken(verificationToken);
  const validatedAt = new Date();
  const identity = { authType: verified.authType, identifier: verified.identifier, oAuthMethod: verified.oAuthMethod };
  const expiresAt = tokenSessionEnd(validatedAt);
  const stored = { path: "token" as const, userId: null, ...identity, wallets: [], verificationToken, validatedAt, expiresAt };
  const view = storedView(stored, "para");
  const cookie = await getSession();
  if (cookie.path === "import" && cookie.authType === identity.authType && cookie.identifier === identity.identifier) return view;
  const sid = await saveServerSession(stored);
  await replaceCookie({ sid, ...identity, path: "token", validatedAt: validatedAt.toISOString() }, expiresAt);
  return view;
}

/**
 * Path 3: verify a Para JWT (no call to Para) and keep its claims server-side until the token
 * expires; an imported session of the same user is kept instead.
 */
export async function startJwtSession(token: string | undefined): Promise<ServerSessionView> {
  const { identity, expiresAt: paraEnd } = await verifyParaJwt(requireToken(token));
  const validatedAt = new Date();
  // Within the verifier's clock tolerance a token can be just past its `exp`: nothing to keep.
  if (paraEnd.getTime() <= validatedAt.getTime()) throw jwtExpired();
  const expiresAt = sessionEnd(paraEnd, validatedAt);
  const stored = { path: "jwt" as const, ...identity, validatedAt, expiresAt };
  const view = storedView(stored, "jwt");
  const cookie = await getSession();
  if (cookie.path === "import" && cookie.userId === identity.userId) return view;
  const sid = await saveServerSession(stored);
  await replaceCookie({ sid, ...identityFields(identity), path: "jwt", validatedAt: validatedAt.toISOString() }, expiresAt);
  return view;
}

/** Path 3 for clients without cookies: the `Authorization: Bearer` JWT, verified now, nothing stored. */
export async function verifyJwtView(token: string | undefined): Promise<ServerSessionView> {
  const { identity, expiresAt } = await verifyParaJwt(requireToken(token));
  return storedView({ path: "jwt", ...identity, validatedAt: new Date(), expiresAt }, "jwt");
}

/**
 * The user behind the cookie's imported session, as Para confirms it now: what routes that act
 * for a signed-in user (pregenerated wallets) authorize with. 401 without one or once it has
 * ended, 409 on the token and JWT paths (they hold no session to act with).
 */
export async function requireImportedUser(): Promise<string> {
  const stored = await loadCurrentImport();
  const current = await confirmCurrent(stored);
  await recordConfirmed(stored, current);
  return current.confirmed.userId;
}

/**
 * Runs `action` with a signing instance holding the cookie's stored session (a new `ParaServer`,
 * as Para documents for acting on a user's behalf), after Para confirms the session is live and
 * still the stored user's. 401 without a session or once it has ended; 409 when it was sent
 * without signers; 429 past the user's signing limit. What the action did is answered even when
 * recording the session afterwards fails: an answer of "retry" would sign twice.
 */
export async function withCurrentSessionSigner<T>(action: (para: ParaServer) => Promise<T>): Promise<T> {
  const stored = await loadCurrentImport();
  if (!stored.hasSigners) {
    throw new AppError(
      "signers_required",
      "The server holds your session without signers, so it cannot sign with it. Send it again with signers: waitAndExportSession() without excludeSigners.",
    );
  }
  const current = await confirmCurrent(stored);
  await limitSigning(current.confirmed.userId);
  // The server SDK (≈ 0.5 s and 90 MB to load, viem included) only where the app signs: the
  // session routes validate through core-sdk's API client (../para/api) and never load it.
  const { createParaServer } = await import("../para/server");
  const para = createParaServer({ signing: true });
  await callPara("importSession", () => para.importSession(withSessionCookie(stored.serialized, current.api.sessionCookie)));
  // The wallet selection Para answered for the session, not the blob's.
  if (current.confirmed.currentWalletIds) await para.setCurrentWalletIds(current.confirmed.currentWalletIds);
  const result = await action(para);
  try {
    const exported = await callPara("exportSession", () => para.waitAndExportSession());
    await refreshImportedSession(stored, exported, new Date());
  } catch (error) {
    logError("after-signing", error);
  }
  return result;
}

/**
 * Signs out of the server: deletes the row the cookie names, and every other row of the same Para
 * session, so every copy of the cookie is dead; then clears it. Safe to call twice.
 */
export async function endCurrentSession(): Promise<void> {
  const cookie = await getSession();
  if (cookie.sid) await deleteServerSessionWithSiblings(cookie.sid);
  clearSessionCookie(cookie);
}

/** Para's confirmation of a held import-path session (a "no" asked twice); ended or someone else's → forgotten. */
function confirmCurrent(stored: StoredImport): Promise<HeldSession> {
  return forgetOnRefusal(stored.id, confirmStored(stored));
}

/** Records a check made through the API client: the stored session, with the cookie Para last sent (and a new end, if Para gave one). */
async function recordConfirmed(
  stored: StoredImport,
  { api, confirmed }: HeldSession,
  expiresAt = stored.expiresAt,
): Promise<ServerSessionView> {
  const validatedAt = new Date();
  await refreshImportedSession(stored, withSessionCookie(stored.serialized, api.sessionCookie), validatedAt, expiresAt);
  return importedView({ ...stored, expiresAt }, confirmed, validatedAt);
}

/** Path 2, later: Para is asked again once the last answer is older than the recheck bound; until then the stored answer stands. */
async function checkTokenSession(stored: StoredToken): Promise<ServerSessionView> {
  if (!tokenRecheckDue(stored.validatedAt)) return storedView(stored, "cookie");
  const verified = await forgetOnRefusal(
    stored.id,
    askTwiceBeforeEnding(() => verifyToken(stored.verificationToken)).catch((error: unknown) => {
      // Para's 403 to the token, as a check of the cookie's session answers it: 401.
      throw error instanceof AppError && error.code === "session_expired" ? sessionEnded() : error;
    }),
  );
  if (verified.authType !== stored.authType || verified.identifier !== stored.identifier) {
    await forgetSession(stored.id);
    throw new AppError("session_invalid", "Para now names another user for this token.", { status: 401 });
  }
  const validatedAt = new Date();
  await refreshTokenSession(stored, validatedAt);
  return storedView({ ...stored, validatedAt }, "para");
}

/** The row the cookie names, on any path: 401 `unauthorized` when there is none (signed out: every copy of the cookie ends), `session_expired` past its end. */
async function loadCurrentStored(): Promise<StoredSession> {
  const cookie = await getSession();
  if (!cookie.path || !cookie.sid)
    throw new AppError("unauthorized", "No server session: send your Para session to POST /api/session first.");
  let stored: StoredSession | undefined;
  try {
    stored = await loadServerSession(cookie.sid);
  } catch (error) {
    // A row that does not open under a key id this instance has: a wrong key in its configuration is
    // as likely as tampering (and whoever can write rows can delete them), so the row stays.
    if (!(error instanceof UnsealError)) throw error;
    throw new AppError("service_unavailable", "This session could not be opened on this server right now. Try again in a moment.", {
      cause: error,
    });
  }
  // The cookie is not cleared here, for the reason forgetSession gives: it names nothing, and says so.
  if (!stored || stored.path !== cookie.path || stored.userId !== (cookie.userId ?? null)) {
    throw new AppError("unauthorized", "This server session has ended (signed out, or replaced by a newer sign-in). Sign in again.");
  }
  if (stored.expiresAt.getTime() <= Date.now()) {
    await forgetSession(stored.id);
    throw stored.path === "jwt" ? jwtExpired() : sessionEnded();
  }
  return stored;
}

/** The cookie's imported session; 409 on the token and JWT paths. */
async function loadCurrentImport(): Promise<StoredImport> {
  const stored = await loadCurrentStored();
  if (stored.path !== "import") {
    throw new AppError(
      "session_not_imported",
      `This session was verified with a ${stored.path === "jwt" ? "JWT" : "token"}; import it (POST /api/session) to use it on the server.`,
    );
  }
  return stored;
}

/** Replaces whatever the cookie held (and the row it named) with a new sign-in that ends at `expiresAt`. */
async function replaceCookie(fields: SessionData, expiresAt: Date): Promise<void> {
  const cookie = await getSession();
  if (cookie.sid && cookie.sid !== fields.sid) await deleteServerSession(cookie.sid);
  await saveSessionCookie(cookie, fields, expiresAt);
}

/** Sets the cookie again with a new end (keep-alive moved it), keeping what it holds. */
async function resaveCookie(expiresAt: Date): Promise<void> {
  const cookie = await getSession();
  await saveSessionCookie(cookie, { ...cookie }, expiresAt);
}

function jwtExpired(): AppError {
  return new AppError("session_expired", "The Para JWT behind this session has expired. Issue a new one or sign in again.");
}

function requireToken(token: string | undefined): string {
  if (!token) throw new AppError("session_invalid", "Send the token para.issueJwt() returned: {token} or Authorization: Bearer <token>.");
  return token;
}

function identityFields({ userId, authType, identifier }: Pick<ParaIdentity, "authType" | "identifier"> & { userId: string | null }) {
  return { userId: userId ?? undefined, authType, identifier };
}

/** The server's view of a stored session, as Para answered it when it was checked (the import path adds its wallet selection). */
function storedView(
  stored: Pick<StoredSession, "path" | "userId" | "authType" | "identifier" | "oAuthMethod" | "wallets" | "validatedAt" | "expiresAt">,
  checkedBy: CheckedBy,
): ServerSessionView {
  return {
    userId: stored.userId,
    authType: stored.authType,
    identifier: stored.identifier,
    oAuthMethod: stored.oAuthMethod,
    wallets: walletViews(stored.wallets),
    hasSigners: false,
    validatedAt: stored.validatedAt.toISOString(),
    // Para names no end on the token path: the row's own bound is not Para's word.
    expiresAt: stored.path === "token" ? undefined : stored.expiresAt.toISOString(),
    path: stored.path,
    checkedBy,
  };
}

function importedView(
  stored: Pick<StoredImport, "userId" | "authType" | "identifier" | "oAuthMethod" | "wallets" | "hasSigners" | "expiresAt">,
  confirmed: ConfirmedSession,
  validatedAt: Date,
): ServerSessionView {
  return {
    ...storedView({ ...stored, path: "import", validatedAt }, "para"),
    // Para's wallet selection for the session (one secp256k1 wallet serves EVM and Cosmos).
    wallets: walletViews(stored.wallets, confirmed.currentWalletIds, confirmed.cosmosPrefix),
    hasSigners: stored.hasSigners,
  };
}
