import "server-only";
import { UnsealError } from "../crypto/envelope";
import { AppError } from "../errors";
import { ParaSessionApi, sessionEnded } from "../para/api";
import { attestIdentity, type ConfirmedSession, confirmSessionUser } from "../para/attest";
import { assertClaimsMatch, readExportedSession, withSessionCookie } from "../para/exported-session";
import type { ParaIdentity } from "../para/identity";
import { verifyParaJwt } from "../para/jwt";
import { callPara } from "../para/call";
import type { ParaServer } from "../para/server";
import { verifyToken } from "../para/verify-token";
import { type WalletView, walletViews } from "../para/wallet-view";
import type { IronSession } from "iron-session";
import { clearSessionCookie, getSession, replaceSessionData, type SessionData, type SessionPath } from "./cookie";
import { deleteParaSession, loadParaSession, refreshParaSession, saveParaSession, type StoredParaSession } from "./store";

export type { WalletView };

/**
 * How the answer was checked in this request: Para was asked (`para`), a Para JWT's signature
 * was verified (`jwt`, no call to Para), or it is the cookie's record of an earlier check (`cookie`).
 */
export type CheckedBy = "para" | "jwt" | "cookie";

/** The server's view of the user, as the API answers it. Never holds the session itself. */
export interface ServerSessionView {
  /** Para's user id; null on the token path, whose answer names none. */
  userId: string | null;
  authType: string;
  identifier: string;
  wallets: WalletView[];
  hasSigners: boolean;
  validatedAt: string;
  /** JWT path: when the token (and so this view) stops being valid. */
  expiresAt?: string;
  path: SessionPath;
  checkedBy: CheckedBy;
}

/**
 * Path 1: the browser's exported session → Para → identity → store. The blob only lends its
 * cookie: Para says whose session that is (`/touch`) and signs the identity (`issueJwt`); a blob
 * claiming anything else is refused and nothing is stored.
 */
export async function startImportedSession(serialized: string): Promise<ServerSessionView> {
  const exported = readExportedSession(serialized);
  const api = new ParaSessionApi(exported.sessionCookie);
  const confirmed = await confirmSessionUser(api, exported.claimedUserId);
  const { identity } = await attestIdentity(api);
  assertClaimsMatch(exported, identity);

  const validatedAt = new Date();
  const stored = { ...identity, hasSigners: exported.hasSigners };
  const sid = await saveParaSession(stored, withSessionCookie(serialized, api.sessionCookie), validatedAt);
  await replaceCookie({ ...identityFields(identity), sid, path: "import", validatedAt: validatedAt.toISOString() });
  return importedView(stored, confirmed, validatedAt);
}

/** The cookie's session: asked of Para now (import path), or as last checked (token and JWT paths). */
export async function checkCurrentSession(): Promise<ServerSessionView> {
  const cookie = await getSession();
  if (cookie.path === "token" || cookie.path === "jwt") return cookieView(cookie);
  return recordConfirmed(await confirmCurrent());
}

/** Extends the Para session behind the cookie (keep-alive) after Para confirms whose it is. */
export async function keepCurrentSessionAlive(): Promise<ServerSessionView> {
  const current = await confirmCurrent();
  await endOnRefusal(current.api.keepAlive(current.confirmed.userId));
  return recordConfirmed(current);
}

/** Path 2: ask Para about a verification token; start a token-path cookie unless an imported one is for the same user. */
export async function startTokenSession(verificationToken: string): Promise<ServerSessionView> {
  const verified = await verifyToken(verificationToken);
  const validatedAt = new Date().toISOString();
  const cookie = await getSession();
  const sameImportedUser = cookie.path === "import" && cookie.authType === verified.authType && cookie.identifier === verified.identifier;
  if (!sameImportedUser) {
    await replaceCookie({ authType: verified.authType, identifier: verified.identifier, path: "token", validatedAt });
  }
  return {
    userId: null,
    authType: verified.authType,
    identifier: verified.identifier,
    wallets: [],
    hasSigners: false,
    validatedAt,
    path: "token",
    checkedBy: "para",
  };
}

/** Path 3: verify a Para JWT (no call to Para) and start a JWT-path cookie that lasts until the token expires. */
export async function startJwtSession(token: string | undefined): Promise<ServerSessionView> {
  const view = await verifyJwtView(token);
  await replaceCookie({
    ...identityFields(view),
    wallets: view.wallets,
    path: "jwt",
    validatedAt: view.validatedAt,
    expiresAt: view.expiresAt,
  });
  return view;
}

/** Path 3 for clients without cookies: the `Authorization: Bearer` JWT, verified now, nothing stored. */
export async function verifyJwtView(token: string | undefined): Promise<ServerSessionView> {
  if (!token) throw new AppError("session_invalid", "Send the token para.issueJwt() returned: {token} or Authorization: Bearer <token>.");
  const { identity, expiresAt } = await verifyParaJwt(token);
  const wallets = walletViews(identity.wallets);
  return {
    ...identity,
    wallets,
    hasSigners: false,
    validatedAt: new Date().toISOString(),
    expiresAt: expiresAt.toISOString(),
    path: "jwt",
    checkedBy: "jwt",
  };
}

/**
 * The user behind the cookie's imported session, as Para confirms it now: what routes that act
 * for a signed-in user (pregenerated wallets) authorize with. 401 without one or once it has
 * ended, 409 on the token and JWT paths (their answers are not checked live).
 */
export async function requireImportedUser(): Promise<string> {
  const current = await confirmCurrent();
  await recordConfirmed(current);
  return current.confirmed.userId;
}

/**
 * Runs `action` with a signing instance holding the cookie's stored session (a new `ParaServer`,
 * as Para documents for acting on a user's behalf), after Para confirms the session is live and
 * still the stored user's. 401 without a session or once it has ended; 409 when it was sent
 * without signers.
 */
export async function withCurrentSessionSigner<T>(action: (para: ParaServer) => Promise<T>): Promise<T> {
  const stored = await loadCurrentStored();
  if (!stored.hasSigners) {
    throw new AppError(
      "signers_required",
      "The server holds your session without signers, so it cannot sign with it. Send it again with signers: waitAndExportSession() without excludeSigners.",
    );
  }
  // The server SDK (≈ 0.5 s and 90 MB to load, viem included) only where the app signs: the
  // session routes validate through core-sdk's API client (../para/api) and never load it.
  const { createParaServer } = await import("../para/server");
  const para = createParaServer({ signing: true });
  await callPara("importSession", () => para.importSession(stored.serialized));
  const confirmed = await endOnRefusal(
    confirmSessionUser({ touch: () => callPara("touchSession", () => para.touchSession()) }, stored.userId),
  );
  const result = await action(para);
  await recordValidation(stored, await callPara("exportSession", () => para.waitAndExportSession()), confirmed);
  return result;
}

/** Forgets the server's session: the stored Para session and the cookie. Safe to call twice. */
export async function endCurrentSession(): Promise<void> {
  const cookie = await getSession();
  if (cookie.sid) await deleteParaSession(cookie.sid);
  clearSessionCookie(cookie);
}

/** The cookie's stored session, asked of Para now: whose it is and that it is live (ended or someone else's → forgotten). */
async function confirmCurrent(): Promise<Confirmed> {
  const stored = await loadCurrentStored();
  const api = new ParaSessionApi(readExportedSession(stored.serialized).sessionCookie);
  return { stored, api, confirmed: await endOnRefusal(confirmSessionUser(api, stored.userId)) };
}

interface Confirmed {
  stored: StoredParaSession;
  api: ParaSessionApi;
  confirmed: ConfirmedSession;
}

/** Records a check made through the API client: the stored session, with the cookie Para last sent. */
function recordConfirmed({ stored, api, confirmed }: Confirmed): Promise<ServerSessionView> {
  return recordValidation(stored, withSessionCookie(stored.serialized, api.sessionCookie), confirmed);
}

async function loadCurrentStored(): Promise<StoredParaSession> {
  const cookie = await getSession();
  if (!cookie.path) throw new AppError("unauthorized", "No server session: send your Para session to POST /api/session first.");
  if (cookie.path !== "import" || !cookie.sid) {
    throw new AppError(
      "session_not_imported",
      `This session was verified with a ${cookie.path === "jwt" ? "JWT" : "token"}; import it (POST /api/session) to use it on the server.`,
    );
  }
  let stored: StoredParaSession | undefined;
  try {
    stored = await loadParaSession(cookie.sid);
  } catch (error) {
    // A row sealed with a retired data key, or tampered with, is as good as gone.
    if (!(error instanceof UnsealError)) throw error;
  }
  if (!stored || stored.userId !== cookie.userId) {
    await endCurrentSession();
    throw sessionEnded();
  }
  return stored;
}

/**
 * When Para says the session has ended or is not the stored user's, the server forgets it; any
 * other failure (Para unreachable) changes nothing.
 */
async function endOnRefusal<T>(check: Promise<T>): Promise<T> {
  try {
    return await check;
  } catch (error) {
    if (error instanceof AppError && (error.code === "session_expired" || error.code === "session_invalid")) await endCurrentSession();
    throw error;
  }
}

/** Stores the session as Para now knows it (`serialized`) and answers the import path's view. */
async function recordValidation(stored: StoredParaSession, serialized: string, confirmed: ConfirmedSession): Promise<ServerSessionView> {
  const validatedAt = new Date();
  await refreshParaSession(stored, serialized, validatedAt);
  return importedView(stored, confirmed, validatedAt);
}

/** The token or JWT path's cookie, as it was checked; a JWT-path cookie ends when its token expires. */
function cookieView(cookie: IronSession<SessionData>): ServerSessionView {
  const { path, authType, identifier, validatedAt, expiresAt } = cookie;
  if (!path || !authType || identifier === undefined || !validatedAt) throw new AppError("unauthorized", "No server session.");
  if (expiresAt && Date.parse(expiresAt) <= Date.now()) {
    clearSessionCookie(cookie);
    throw new AppError("session_expired", "The Para JWT behind this session has expired. Issue a new one or sign in again.");
  }
  return {
    userId: cookie.userId ?? null,
    authType,
    identifier,
    wallets: cookie.wallets ?? [],
    hasSigners: false,
    validatedAt,
    expiresAt,
    path,
    checkedBy: "cookie",
  };
}

/** Replaces whatever the cookie held (and the stored session it named) with a new sign-in, on any path. */
async function replaceCookie(fields: SessionData): Promise<void> {
  const cookie = await getSession();
  if (cookie.sid) await deleteParaSession(cookie.sid);
  replaceSessionData(cookie, fields);
  await cookie.save();
}

function identityFields({ userId, authType, identifier }: Pick<ParaIdentity, "authType" | "identifier"> & { userId: string | null }) {
  return { userId: userId ?? undefined, authType, identifier };
}

function importedView(
  stored: StoredParaSession | (ParaIdentity & { hasSigners: boolean }),
  confirmed: ConfirmedSession,
  validatedAt: Date,
): ServerSessionView {
  const { userId, authType, identifier, hasSigners } = stored;
  const wallets = walletViews(stored.wallets, confirmed.currentWalletIds, confirmed.cosmosPrefix);
  return { userId, authType, identifier, wallets, hasSigners, validatedAt: validatedAt.toISOString(), path: "import", checkedBy: "para" };
}
