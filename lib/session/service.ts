import "server-only";
import { AppError } from "../errors";
import { UnsealError } from "../crypto/envelope";
import { readExportedSession, type SessionIdentity } from "../para/exported-session";
import { callPara, createParaServer, type ParaServer } from "../para/server";
import { verifyToken } from "../para/verify-token";
import { getSession, type SessionPath } from "./cookie";
import { deleteParaSession, loadParaSession, refreshParaSession, saveParaSession, type StoredParaSession } from "./store";

/** The server's view of the user, as the API answers it. Never holds the session itself. */
export interface ServerSessionView {
  userId: string | null;
  authType: string;
  identifier: string;
  wallets: WalletView[];
  hasSigners: boolean;
  validatedAt: string;
  path: SessionPath;
}

/** A wallet as the user knows it: Cosmos addresses in bech32 with the partner's prefix. */
export interface WalletView {
  id: string;
  type: string;
  address: string | null;
}

/** Path 1: import an exported session, check it with Para, keep it server-side and set the cookie. */
export async function startImportedSession(serialized: string): Promise<ServerSessionView> {
  const identity = readExportedSession(serialized);
  const validated = await validateWithPara(serialized);
  const validatedAt = new Date();
  const id = await saveParaSession(identity, validated.serialized, validatedAt);

  const cookie = await getSession();
  if (cookie.sid) await deleteParaSession(cookie.sid);
  Object.assign(cookie, {
    sid: id,
    userId: identity.userId,
    authType: identity.authType,
    identifier: identity.identifier,
    path: "import",
    validatedAt: validatedAt.toISOString(),
  });
  await cookie.save();
  return importedView(identity, validated.wallets, validatedAt);
}

/** The cookie's session, checked with Para now (import path) or as verified (token path). */
export async function checkCurrentSession(): Promise<ServerSessionView> {
  const cookie = await getSession();
  if (cookie.path === "token" && cookie.authType && cookie.identifier && cookie.validatedAt) {
    return { userId: null, authType: cookie.authType, identifier: cookie.identifier, wallets: [], hasSigners: false, validatedAt: cookie.validatedAt, path: "token" };
  }
  const stored = await loadCurrentStored();
  return recordValidation(stored, await validateWithPara(stored.serialized, { onExpired: endCurrentSession }));
}

/** Extends the Para session behind the cookie (`keepSessionAlive`) and stores it as Para now knows it. */
export async function keepCurrentSessionAlive(): Promise<ServerSessionView> {
  const stored = await loadCurrentStored();
  const validated = await validateWithPara(stored.serialized, {
    onExpired: endCurrentSession,
    whileActive: async (para) => {
      // keepSessionAlive() answers false for any failure; the /touch just before it told us the session is live.
      const extended = await callPara("keepSessionAlive", () => para.keepSessionAlive());
      if (!extended) throw new AppError("upstream_error", "Para did not extend the session. Try again.");
    },
  });
  return recordValidation(stored, validated);
}

/** Path 2: ask Para about a verification token; start a token-path cookie unless an imported one is for the same user. */
export async function startTokenSession(verificationToken: string): Promise<ServerSessionView> {
  const verified = await verifyToken(verificationToken);
  const validatedAt = new Date().toISOString();
  const cookie = await getSession();
  const sameImportedUser = cookie.path === "import" && cookie.authType === verified.authType && cookie.identifier === verified.identifier;
  if (!sameImportedUser) {
    if (cookie.sid) await deleteParaSession(cookie.sid);
    cookie.sid = undefined;
    cookie.userId = undefined;
    Object.assign(cookie, { authType: verified.authType, identifier: verified.identifier, path: "token", validatedAt });
    await cookie.save();
  }
  return { userId: null, authType: verified.authType, identifier: verified.identifier, wallets: [], hasSigners: false, validatedAt, path: "token" };
}

/**
 * The user behind the cookie's imported session, checked with Para now: what routes that act for
 * a signed-in user (pregenerated wallets) authorize with. 401 without one or once it has ended,
 * 409 on the token path.
 */
export async function requireImportedUser(): Promise<string> {
  const stored = await loadCurrentStored();
  await recordValidation(stored, await validateWithPara(stored.serialized, { onExpired: endCurrentSession }));
  return stored.userId;
}

/**
 * Runs `action` with a signing instance holding the cookie's stored session, after Para says it is
 * live. 401 without a session or once it has ended; 409 when it was sent without signers.
 */
export async function withCurrentSessionSigner<T>(action: (para: ParaServer) => Promise<T>): Promise<T> {
  const stored = await loadCurrentStored();
  if (!stored.hasSigners) {
    throw new AppError(
      "signers_required",
      "The server holds your session without signers, so it cannot sign with it. Send it again with signers: waitAndExportSession() without excludeSigners.",
    );
  }
  const validated = await validateWithPara(stored.serialized, { signing: true, onExpired: endCurrentSession, whileActive: action });
  await recordValidation(stored, validated);
  return validated.result;
}

/** Forgets the server's session: the stored Para session and the cookie. Safe to call twice. */
export async function endCurrentSession(): Promise<void> {
  const cookie = await getSession();
  if (cookie.sid) await deleteParaSession(cookie.sid);
  cookie.destroy();
}

async function loadCurrentStored(): Promise<StoredParaSession> {
  const cookie = await getSession();
  if (!cookie.path) throw new AppError("unauthorized", "No server session: send your Para session to POST /api/session first.");
  if (cookie.path === "token" || !cookie.sid) {
    throw new AppError("session_not_imported", "This session was verified with a token; import it (POST /api/session) to use it on the server.");
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
    throw expired();
  }
  return stored;
}

interface Validated<T> {
  /** The session re-exported, as Para now knows it (the check may rotate its cookie). */
  serialized: string;
  wallets: WalletView[];
  result: T;
}

/**
 * Imports `serialized` into a fresh instance and asks Para whether it is live. An expired
 * session runs `onExpired` and throws `session_expired`; network trouble throws an upstream
 * error and changes nothing. While the session is live, `whileActive` may use the instance
 * (a signing instance when `signing` is set).
 */
async function validateWithPara<T = void>(
  serialized: string,
  options: { signing?: boolean; onExpired?: () => Promise<void>; whileActive?: (para: ParaServer) => Promise<T> } = {},
): Promise<Validated<T>> {
  const para = createParaServer({ signing: options.signing ?? false });
  await callPara("importSession", () => para.importSession(serialized));
  const active = await callPara("isSessionActive", () => para.isSessionActive());
  if (!active) {
    await options.onExpired?.();
    throw expired();
  }
  const result = (await options.whileActive?.(para)) as T;
  const refreshed = await callPara("exportSession", () => para.waitAndExportSession());
  return { serialized: refreshed, wallets: selectedWallets(para), result };
}

/**
 * The session's wallets as the SDK selects them, one entry per type: one secp256k1 wallet
 * may serve both EVM and Cosmos, shown with the address of each (bech32 for Cosmos).
 */
function selectedWallets(para: ParaServer): WalletView[] {
  return para.currentWalletIdsArray.map(([id, type]) => {
    const wallet = para.wallets[id];
    return { id, type, address: wallet?.address ? (para.getDisplayAddress(id, { addressType: type }) ?? wallet.address) : null };
  });
}

async function recordValidation(stored: StoredParaSession, validated: Omit<Validated<unknown>, "result">): Promise<ServerSessionView> {
  const validatedAt = new Date();
  await refreshParaSession(stored, validated.serialized, validatedAt);
  const cookie = await getSession();
  cookie.validatedAt = validatedAt.toISOString();
  await cookie.save();
  return importedView(readExportedSession(validated.serialized), validated.wallets, validatedAt);
}

function importedView(identity: SessionIdentity, wallets: WalletView[], validatedAt: Date): ServerSessionView {
  const { userId, authType, identifier, hasSigners } = identity;
  return { userId, authType, identifier, wallets, hasSigners, validatedAt: validatedAt.toISOString(), path: "import" };
}

function expired(): AppError {
  return new AppError("session_expired", "Your Para session has ended. Sign in again.");
}
