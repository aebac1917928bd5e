import "server-only";
import { UnsealError } from "../crypto/envelope";
import { AppError } from "../errors";
import { endGrant, type GrantView } from "../grants/end-grant";
import { limitSigning } from "../http/rate-limit";
import { logError } from "../log";
import { apiKeyRefused, askTwiceBeforeEnding, callPara, callParaForSession, isApiKeyRefusal, sessionEnded } from "../para/call";
import { assertClaimsMatch, readExportedSession, withSessionCookie } from "../para/exported-session";
import type { ParaIdentity } from "../para/identity";
import { verifyParaJwt } from "../para/jwt";
import { issueHeldJwt, type Rechecked, recheckHeldSession } from "../para/one-call-recheck";
import { appPartnerId } from "../para/partner";
import type { AppParaServer, ParaServer } from "../para/server";
import { verifyToken } from "../para/verify-token";
import { type WalletView, walletViews } from "../para/wallet-view";
import { clearSessionCookie, getSession, saveSessionCookie, type SessionData, type SessionPath } from "./cookie";
import { forgetOnRefusal, forgetSession, sessionEnd, tokenRecheckDue, tokenSessionEnd } from "./lifecycle";
import {
  deleteServerSession,
  deleteServerSessionWithSiblings,
  loadHeldSession,
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
  /** Import path: until when the user lets the server act for them while away (PUT /api/session/grant). */
  grant?: GrantView;
}

/**
 * Path 1, Para's guide step by step: the browser's exported session → a new `ParaServer` →
 * `importSession` → `isSessionActive()` → the identity from `issueJwt()`, verified against Para's
 * JWKS. The exported session is the browser's word: nothing in it is signed, so the user is who
 * Para's JWT says, and an exported session that claims anything else is refused. Nothing is
 * stored on a refusal.
 */
export async function startImportedSession(serialized: string): Promise<ServerSessionView> {
  const exported = readExportedSession(serialized); // its shape only: the SDK throws a bare TypeError on anything else

  const para = await newParaServer();
  await importInto(para, serialized);
  if (!(await callPara("isSessionActive", () => para.isSessionActive()))) throw sessionEnded();
  // isSessionActive() is Para's /touch, whose answer names the app the session belongs to.
  if (para.lastTouch?.partnerId !== (await appPartnerId()))
    throw new AppError("session_invalid", "This Para session belongs to another app.");
  const { token } = await callParaForSession("issueJwt", () => para.issueJwt());
  const { identity, expiresAt: paraEnd } = await verifyParaJwt(token, { fromPara: true });
  assertClaimsMatch(exported, identity);

  const validatedAt = new Date();
  const stored = {
    path: "import" as const,
    ...identity,
    paraSessionId: para.lastTouch.sessionId,
    hasSigners: exported.hasSigners,
    // Re-exported: the SDK holds the session cookie as Para last sent it.
    serialized: await callPara("exportSession", () => para.waitAndExportSession()),
    validatedAt,
    expiresAt: sessionEnd(paraEnd, validatedAt),
  };
  // A re-import of the same Para session (from this browser or another) replaces what was stored for it.
  const sid = await saveServerSession(stored);
  await replaceCookie(
    { sid, paraSessionId: stored.paraSessionId, ...identityFields(identity), path: "import", validatedAt: validatedAt.toISOString() },
    stored.expiresAt,
  );
  return importedView(stored, para.walletSelection(), validatedAt);
}

/** The cookie's session: asked of Para now (import path; token path once its last answer is old), or as Para signed it (JWT path). */
export async function checkCurrentSession(): Promise<ServerSessionView> {
  const stored = await loadCurrentStored();
  if (stored.path === "jwt") return storedView(stored, "cookie");
  if (stored.path === "token") return checkTokenSession(stored);
  const view = await recordRechecked(stored, await recheckCurrent(stored));
  return stored.grantUntil ? { ...view, grant: { until: stored.grantUntil.toISOString() } } : view;
}

/**
 * Keep-alive on the user's request, as Para's guide does it: a new `ParaServer` → `importSession`
 * → `keepSessionAlive()`. The SDK answers `false` for any failure (an ended session, a 429, a 5xx,
 * no answer), so a `false` is checked with `isSessionActive()`: not active → the session has ended;
 * active → Para is failing (503), and the session is kept. The new end is the `exp` of a JWT Para
 * issues afterwards: the row and the cookie move to it. `extended` says whether it moved later.
 */
export async function keepCurrentSessionAlive(): Promise<ServerSessionView & { extended: boolean }> {
  const stored = await loadCurrentImport();
  const para = await newParaServer();
  await importInto(para, stored.serialized);
  const paraEnd = await forgetOnRefusal(stored.id, keepAliveAndReadEnd(para, stored));

  const validatedAt = new Date();
  const expiresAt = sessionEnd(paraEnd, validatedAt);
  const serialized = await callPara("exportSession", () => para.waitAndExportSession());
  await refreshImportedSession(stored, serialized, validatedAt, expiresAt);
  await resaveCookie(expiresAt);
  const view = importedView({ ...stored, expiresAt }, para.walletSelection(), validatedAt);
  return { extended: expiresAt.getTime() > stored.expiresAt.getTime(), ...view };
}

/** `keepSessionAlive()` (a `false` checked with `isSessionActive()`), then the session's new end from `issueJwt()`. */
async function keepAliveAndReadEnd(para: AppParaServer, stored: StoredImport): Promise<Date> {
  const stillActive = async () => {
    if (await callPara("isSessionActive", () => para.isSessionActive())) return;
    // Para has answered a false "no" for a live session before, and after a "no" the instance holds
    // an anonymous cookie: ask once more, with the stored cookie, before the session counts as ended.
    await recheckHeldSession(storedCookie(stored), stored.userId);
  };
  if (!(await callPara("keepSessionAlive", () => para.keepSessionAlive()))) {
    await stillActive();
    throw new AppError("upstream_busy", "Para did not extend the session, though it is still live. Try again in a moment.");
  }
  const { identity, expiresAt } = await issueHeldJwt(() => para.issueJwt(), stillActive);
  if (identity.userId !== stored.userId) throw new AppError("session_invalid", "Para's token for this session names another user.");
  return expiresAt;
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
  return (await confirmCurrentImport()).userId;
}

/** The cookie's imported session as Para confirms it now: its user, and Para's id for it (what grants are kept by). */
export async function requireHeldSession(): Promise<{ userId: string; paraSessionId: string; hasSigners: boolean }> {
  const { stored, userId } = await confirmCurrentImport();
  if (!stored.paraSessionId)
    throw new AppError("session_not_imported", "This session was stored before the server kept Para's id for it. Sign in again.");
  return { userId, paraSessionId: stored.paraSessionId, hasSigners: stored.hasSigners };
}

/** The cookie's imported session, re-checked with Para (one `/touch`) and recorded. */
async function confirmCurrentImport(): Promise<{ stored: StoredImport; userId: string }> {
  const stored = await loadCurrentImport();
  const rechecked = await recheckCurrent(stored);
  await recordRechecked(stored, rechecked);
  return { stored, userId: rechecked.touch.userId };
}

/**
 * For a scheduled action (no browser, no cookie): runs `action` with a signing instance holding the
 * stored session of Para session `paraSessionId`, once Para confirms it is live and `userId`'s and
 * `claim` (which records the attempt) answers true. Para ending the session forgets it here too.
 */
export async function withHeldSessionSigner<T>(
  paraSessionId: string,
  userId: string,
  claim: () => Promise<boolean>,
  action: (para: ParaServer) => Promise<T>,
): Promise<{ signed: false } | { signed: true; result: T }> {
  const stored = await loadHeldSession(paraSessionId);
  if (stored?.userId !== userId) throw sessionEnded();
  if (!stored.hasSigners)
    throw new AppError("signers_required", "The server holds this session without signers, so it cannot sign with it.");
  const rechecked = await recheckCurrent(stored);
  if (!(await claim())) return { signed: false };
  return { signed: true, result: await signWithStored(stored, rechecked, action) };
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
  const rechecked = await recheckCurrent(stored);
  await limitSigning(rechecked.touch.userId);
  return signWithStored(stored, rechecked, action);
}

/** A new signing `ParaServer` with the stored session as Para last answered it; the session is recorded again afterwards. */
async function signWithStored<T>(stored: StoredImport, rechecked: Rechecked, action: (para: ParaServer) => Promise<T>): Promise<T> {
  const para = await newParaServer({ signing: true });
  await importInto(para, withSessionCookie(stored.serialized, rechecked.sessionCookie));
  // The wallet selection Para answered for the session, not the exported session's.
  if (rechecked.touch.currentWalletIds) await para.setCurrentWalletIds(rechecked.touch.currentWalletIds);
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
 * Signs out of the server: ends the session's grant (and what it scheduled), deletes the row the
 * cookie names and every row of the Para session the cookie or that row names, so every copy of
 * the cookie is dead; then clears it. Safe to call twice.
 */
export async function endCurrentSession(): Promise<void> {
  const cookie = await getSession();
  if (cookie.sid) {
    // The grant goes first: its run, finding the rows gone, would record `session_expired` instead.
    if (cookie.paraSessionId) await endGrant(cookie.paraSessionId, "grant_revoked");
    const { paraSessionIds } = await deleteServerSessionWithSiblings(cookie.sid, cookie.paraSessionId);
    for (const id of paraSessionIds) if (id !== cookie.paraSessionId) await endGrant(id, "grant_revoked");
  }
  clearSessionCookie(cookie);
}

/**
 * A new `ParaServer` for this request. The server SDK (≈ 0.5 s and 90 MB to load, viem included)
 * is loaded where a route imports a session or signs, so GET /api/session never loads it.
 */
async function newParaServer({ signing = false } = {}): Promise<AppParaServer> {
  const { createParaServer } = await import("../para/server");
  return createParaServer({ signing });
}

/**
 * `importSession`. It waits for the new instance's own calls to Para, whose failures the SDK
 * rethrows without a status: a refused API key is named as such. (What the SDK cannot read never
 * gets here: `readExportedSession` refuses it first.)
 */
async function importInto(para: AppParaServer, serialized: string): Promise<void> {
  try {
    await callPara("importSession", () => para.importSession(serialized));
  } catch (error) {
    const cause = error instanceof AppError ? error.cause : undefined;
    if (cause instanceof Error && isApiKeyRefusal(cause.message)) throw apiKeyRefused("importSession", error);
    throw error;
  }
}

/** The one-call re-check (lib/para/one-call-recheck.ts) of the cookie's held session; ended or someone else's → forgotten. */
function recheckCurrent(stored: StoredImport): Promise<Rechecked> {
  return forgetOnRefusal(stored.id, recheckHeldSession(storedCookie(stored), stored.userId));
}

/** The session cookie the server holds for a stored session (as Para last sent it). */
function storedCookie(stored: StoredImport): string {
  return readExportedSession(stored.serialized).sessionCookie;
}

/** Records a re-check: the stored session with the cookie Para last sent. */
async function recordRechecked(stored: StoredImport, { touch, sessionCookie }: Rechecked): Promise<ServerSessionView> {
  const validatedAt = new Date();
  await refreshImportedSession(stored, withSessionCookie(stored.serialized, sessionCookie), validatedAt);
  return importedView(stored, touch, validatedAt);
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
    throw new AppError("session_invalid", "Para now names another user for this token.");
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
  if (!token) throw new AppError("session_malformed", "Send the token para.issueJwt() returned: {token} or Authorization: Bearer <token>.");
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
  selection: { currentWalletIds?: Partial<Record<string, string[]>>; cosmosPrefix?: string },
  validatedAt: Date,
): ServerSessionView {
  return {
    ...storedView({ ...stored, path: "import", validatedAt }, "para"),
    // Para's wallet selection for the session (one secp256k1 wallet serves EVM and Cosmos).
    wallets: walletViews(stored.wallets, selection.currentWalletIds, selection.cosmosPrefix),
    hasSigners: stored.hasSigners,
  };
}
