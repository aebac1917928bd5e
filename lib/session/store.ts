import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, gt, lte } from "drizzle-orm";
import { getConfig } from "../config";
import { seal, sealedKeyId, unseal } from "../crypto/envelope";
import { getDb } from "../db/client";
import { paraSessions } from "../db/schema";
import type { ParaIdentity } from "../para/identity";
import { SESSION_TTL_SECONDS } from "./cookie";

/** The public identity of a stored session, as Para attested it: what the cookie and the API may carry. */
export interface StoredIdentity extends ParaIdentity {
  hasSigners: boolean;
}

export interface StoredParaSession extends StoredIdentity {
  id: string;
  /** The exported Para session, decrypted: keep it inside the request. */
  serialized: string;
  /** When the row was last written (a validation that changed nothing may not write it). */
  validatedAt: Date;
  /** The data key the row is sealed under: one that is not the current key is re-sealed on the next validation. */
  sealedKeyId: number;
}

/** The associated data that binds a sealed session to its row and its owner. */
export const sessionBoundTo = (id: string, userId: string) => `para_sessions:${id}:${userId}`;
const expiry = (from: Date) => new Date(from.getTime() + SESSION_TTL_SECONDS * 1000);

/** Stores a freshly validated session under a new random id (the cookie's `sid`). */
export async function saveParaSession(identity: StoredIdentity, serialized: string, validatedAt: Date): Promise<string> {
  const id = randomBytes(32).toString("base64url");
  const db = await getDb();
  await db.delete(paraSessions).where(lte(paraSessions.expiresAt, new Date()));
  await db.insert(paraSessions).values({
    id,
    ...identity,
    sealedSession: seal(serialized, sessionBoundTo(id, identity.userId), getConfig().dataKeys),
    validatedAt,
    expiresAt: expiry(validatedAt),
  });
  return id;
}

/** The live stored session for `id`, or undefined when missing or past its expiry. */
export async function loadParaSession(id: string): Promise<StoredParaSession | undefined> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(paraSessions)
    .where(and(eq(paraSessions.id, id), gt(paraSessions.expiresAt, new Date())));
  if (!row) return undefined;
  return {
    id: row.id,
    userId: row.userId,
    authType: row.authType,
    identifier: row.identifier,
    wallets: row.wallets,
    hasSigners: row.hasSigners,
    validatedAt: row.validatedAt,
    serialized: unseal(row.sealedSession, sessionBoundTo(row.id, row.userId), getConfig().dataKeys),
    sealedKeyId: sealedKeyId(row.sealedSession),
  };
}

/**
 * How far the stored row's sliding expiry may lag its last validation. A validation that changed
 * nothing (Para sent the same cookie back, and the row is sealed under the current data key)
 * writes the row only once this much has passed since it was last written: on the embedded
 * database every write holds the event loop for the whole re-sealed session.
 */
export const STORED_REFRESH_AFTER_MS = 60_000;

/**
 * Records a successful validation: the session as Para now knows it (its cookie may have been
 * renewed), sealed again under the current data key, and a later expiry. Skipped when there is
 * nothing new to keep (see STORED_REFRESH_AFTER_MS).
 */
export async function refreshParaSession(session: StoredParaSession, serialized: string, validatedAt: Date): Promise<void> {
  const { dataKeys } = getConfig();
  const unchanged = serialized === session.serialized && session.sealedKeyId === dataKeys.currentId;
  if (unchanged && validatedAt.getTime() - session.validatedAt.getTime() < STORED_REFRESH_AFTER_MS) return;
  const db = await getDb();
  await db
    .update(paraSessions)
    .set({
      sealedSession: seal(serialized, sessionBoundTo(session.id, session.userId), dataKeys),
      validatedAt,
      expiresAt: expiry(validatedAt),
    })
    .where(eq(paraSessions.id, session.id));
}

export async function deleteParaSession(id: string): Promise<void> {
  const db = await getDb();
  await db.delete(paraSessions).where(eq(paraSessions.id, id));
}
