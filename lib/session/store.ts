import "server-only";
import { randomBytes } from "node:crypto";
import { and, desc, eq, gt, lte, ne, or, sql } from "drizzle-orm";
import { getConfig } from "../config";
import { seal, sealedKeyId, unseal } from "../crypto/envelope";
import { getDb } from "../db/client";
import { paraSessions, sessionGrants } from "../db/schema";
import { AppError } from "../errors";
import type { ParaIdentity, ParaWallet } from "../para/identity";

/** The public identity of a stored session, as Para attested it: what the cookie and the API may carry. */
export interface StoredIdentity extends ParaIdentity {
  hasSigners: boolean;
}

interface StoredBase {
  id: string;
  authType: string;
  identifier: string;
  oAuthMethod?: string;
  wallets: ParaWallet[];
  /** When the row was last written (a validation that changed nothing may not write it). */
  validatedAt: Date;
  /** When Para's session ends, as far as the server knows (lib/session/lifecycle.ts). */
  expiresAt: Date;
}

/** Path 1: the exported session itself, held for the user. */
export interface StoredImport extends StoredBase {
  path: "import";
  userId: string;
  hasSigners: boolean;
  /** Para's id for the session (`/touch`'s `sessionId`): every row of one Para session goes at logout or re-import. */
  paraSessionId?: string;
  /** Until when the user lets the server act for them (lib/grants/), while that is still ahead. */
  grantUntil?: Date;
  /** The exported Para session, decrypted: keep it inside the request. */
  serialized: string;
  /** The data key the row is sealed under: one that is not the current key is re-sealed on the next validation. */
  sealedKeyId: number;
}

/** Path 2: Para's answer for a verification token, and the token, to ask Para again. */
export interface StoredToken extends StoredBase {
  path: "token";
  userId: null;
  verificationToken: string;
  sealedKeyId: number;
}

/** Path 3: the claims of a verified Para JWT; nothing to ask Para with. */
export interface StoredJwt extends StoredBase {
  path: "jwt";
  userId: string;
}

export type StoredSession = StoredImport | StoredToken | StoredJwt;

/** What a new row holds: a stored session without the parts the store assigns. */
export type NewStoredSession = Omit<StoredImport, "id" | "sealedKeyId"> | Omit<StoredToken, "id" | "sealedKeyId"> | Omit<StoredJwt, "id">;

/** The associated data that binds a sealed session to its row and its owner. */
export const sessionBoundTo = (id: string, userId: string) => `para_sessions:${id}:${userId}`;
/** The same for a verification token (the token path names no user: the row's identity is bound instead). */
const tokenBoundTo = (id: string, authType: string, identifier: string) => `para_sessions:${id}:token:${authType}:${identifier}`;

/**
 * Stores a freshly validated session under a new random id (the cookie's `sid`); expired rows go
 * first. An import replaces every row stored for the same Para session (a re-import from this
 * browser or another): one transaction, holding a lock on that Para session, inserts the row and
 * deletes the others, so imports at once leave exactly one row, the last one's.
 */
export async function saveServerSession(session: NewStoredSession): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  const { dataKeys } = getConfig();
  const db = await getDb();
  await deleteExpiredSessions();
  const paraSessionId = session.path === "import" ? session.paraSessionId : undefined;
  const row = {
    id,
    path: session.path,
    userId: session.userId,
    authType: session.authType,
    identifier: session.identifier,
    oAuthMethod: session.oAuthMethod ?? null,
    wallets: session.wallets,
    hasSigners: session.path === "import" && session.hasSigners,
    paraSessionId: paraSessionId ?? null,
    sealedSession: session.path === "import" ? seal(session.serialized, sessionBoundTo(id, session.userId), dataKeys) : null,
    sealedToken:
      session.path === "token" ? seal(session.verificationToken, tokenBoundTo(id, session.authType, session.identifier), dataKeys) : null,
    createdAt: session.validatedAt,
    validatedAt: session.validatedAt,
    expiresAt: session.expiresAt,
  };
  if (!paraSessionId) {
    await db.insert(paraSessions).values(row);
    return id;
  }
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${paraSessionId}))`);
    await tx.insert(paraSessions).values(row);
    await tx.delete(paraSessions).where(and(eq(paraSessions.paraSessionId, paraSessionId), ne(paraSessions.id, id)));
  });
  return id;
}

/**
 * The stored session for `id` (past its end or not: the caller says which it was), or undefined
 * when there is none. A row sealed under
 * a data key this instance does not know yet (a rolling key rotation: another instance already
 * seals with the new key) is a 503 to retry, and the row stays. A row that does not open under a
 * known key was tampered with: `UnsealError`.
 */
export async function loadServerSession(id: string): Promise<StoredSession | undefined> {
  const db = await getDb();
  // The grant comes in the same query: GET /api/session shows it, and asks the database once.
  const [found] = await db
    .select({ row: paraSessions, grantUntil: sessionGrants.until })
    .from(paraSessions)
    .leftJoin(sessionGrants, and(eq(sessionGrants.paraSessionId, paraSessions.paraSessionId), gt(sessionGrants.until, sql`now()`)))
    .where(eq(paraSessions.id, id));
  if (!found) return undefined;
  const { row, grantUntil } = found;
  const base = {
    id: row.id,
    authType: row.authType,
    identifier: row.identifier,
    oAuthMethod: row.oAuthMethod ?? undefined,
    wallets: row.wallets,
    validatedAt: row.validatedAt,
    expiresAt: row.expiresAt,
  };
  const { dataKeys } = getConfig();
  const open = (sealed: string, boundTo: string) => {
    if (!dataKeys.keys.has(sealedKeyId(sealed))) throw unknownDataKey(sealedKeyId(sealed));
    return unseal(sealed, boundTo, dataKeys);
  };
  if (row.path === "jwt" && row.userId) return { ...base, path: "jwt", userId: row.userId };
  if (row.path === "token" && row.sealedToken) {
    return {
      ...base,
      path: "token",
      userId: null,
      verificationToken: open(row.sealedToken, tokenBoundTo(row.id, row.authType, row.identifier)),
      sealedKeyId: sealedKeyId(row.sealedToken),
    };
  }
  if (row.path === "import" && row.userId && row.sealedSession) {
    return {
      ...base,
      path: "import",
      userId: row.userId,
      hasSigners: row.hasSigners,
      paraSessionId: row.paraSessionId ?? undefined,
      grantUntil: grantUntil ?? undefined,
      serialized: open(row.sealedSession, sessionBoundTo(row.id, row.userId)),
      sealedKeyId: sealedKeyId(row.sealedSession),
    };
  }
  return undefined;
}

/** The newest stored row of Para session `paraSessionId` (what a grant's run and a scheduled action use), or undefined. */
export async function loadHeldSession(paraSessionId: string): Promise<StoredImport | undefined> {
  const db = await getDb();
  const [row] = await db
    .select({ id: paraSessions.id })
    .from(paraSessions)
    .where(and(eq(paraSessions.paraSessionId, paraSessionId), eq(paraSessions.path, "import"), gt(paraSessions.expiresAt, new Date())))
    .orderBy(desc(paraSessions.createdAt))
    .limit(1);
  const stored = row && (await loadServerSession(row.id));
  return stored?.path === "import" ? stored : undefined;
}

/**
 * How far the stored row may lag its last validation. A validation that changed nothing (Para sent
 * the same cookie back, the row is sealed under the current data key, and the end did not move)
 * writes the row only once this much has passed since it was last written: on the embedded
 * database every write holds the event loop for the whole re-sealed session.
 */
export const STORED_REFRESH_AFTER_MS = 60_000;

/**
 * Records a successful validation of an import-path session: the session as Para now knows it
 * (its cookie may have been renewed), sealed again under the current data key, and its end when
 * Para gave a new one. Skipped when there is nothing new to keep (see STORED_REFRESH_AFTER_MS).
 */
export async function refreshImportedSession(
  session: StoredImport,
  serialized: string,
  validatedAt: Date,
  expiresAt = session.expiresAt,
): Promise<void> {
  const { dataKeys } = getConfig();
  const unchanged =
    serialized === session.serialized && session.sealedKeyId === dataKeys.currentId && expiresAt.getTime() === session.expiresAt.getTime();
  if (unchanged && validatedAt.getTime() - session.validatedAt.getTime() < STORED_REFRESH_AFTER_MS) return;
  const db = await getDb();
  await db
    .update(paraSessions)
    .set({
      sealedSession: seal(serialized, sessionBoundTo(session.id, session.userId), dataKeys),
      validatedAt,
      // Never earlier than what another request (a keep-alive in another tab, a grant's run) stored meanwhile.
      expiresAt: sql`greatest(${paraSessions.expiresAt}, ${sql.param(expiresAt, paraSessions.expiresAt)})`,
    })
    .where(eq(paraSessions.id, session.id));
}

/** Records that Para confirmed a token-path session again (re-sealing the token under the current key). */
export async function refreshTokenSession(session: StoredToken, validatedAt: Date): Promise<void> {
  const { dataKeys } = getConfig();
  const db = await getDb();
  await db
    .update(paraSessions)
    .set({
      sealedToken: seal(session.verificationToken, tokenBoundTo(session.id, session.authType, session.identifier), dataKeys),
      validatedAt,
    })
    .where(eq(paraSessions.id, session.id));
}

export async function deleteServerSession(id: string): Promise<void> {
  const db = await getDb();
  await db.delete(paraSessions).where(eq(paraSessions.id, id));
}

/**
 * Deletes row `sid` and every row of the Para session that `paraSessionId` (the cookie's, at logout)
 * or row `sid` names. Answers those Para session ids, whether any row was left or not.
 */
export async function deleteServerSessionWithSiblings(sid: string, paraSessionId?: string): Promise<{ paraSessionIds: string[] }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ paraSessionId: paraSessions.paraSessionId }).from(paraSessions).where(eq(paraSessions.id, sid));
    const paraSessionIds = [...new Set([paraSessionId, row?.paraSessionId].filter((id): id is string => !!id))].sort();
    // saveServerSession's lock: an import of the same Para session in flight commits first, and its row goes too.
    for (const id of paraSessionIds) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${id}))`);
    await tx.delete(paraSessions).where(or(eq(paraSessions.id, sid), ...paraSessionIds.map((id) => eq(paraSessions.paraSessionId, id))));
    return { paraSessionIds };
  });
}

/** Removes every row past its end; answers how many. */
export async function deleteExpiredSessions(now = new Date()): Promise<number> {
  const db = await getDb();
  const deleted = await db.delete(paraSessions).where(lte(paraSessions.expiresAt, now)).returning({ id: paraSessions.id });
  return deleted.length;
}

function unknownDataKey(keyId: number): AppError {
  return new AppError("service_unavailable", "This session was stored by a newer deployment of the server. Try again in a moment.", {
    cause: new Error(`the row is sealed under data key ${keyId}, which this instance does not have (DATA_ENCRYPTION_KEY)`),
  });
}
