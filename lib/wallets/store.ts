import "server-only";
import { randomBytes } from "node:crypto";
import { and, asc, count, eq, gt, lt, sql } from "drizzle-orm";
import { getConfig } from "../config";
import { seal, sealedKeyId, unseal } from "../crypto/envelope";
import { getDb } from "../db/client";
import { pregenWallets, type StoredPregenWallet } from "../db/schema";
import type { PregenIdentifier } from "./identifier";

/** A set of pregenerated wallets as the app may show it: never the share. */
export interface PregenWalletRecord {
  id: string;
  ownerUserId: string;
  identifier: PregenIdentifier;
  wallets: StoredPregenWallet[];
  createdAt: Date;
}

/** How many sets a user may start within `windowMs`, counting ones still being created. */
export interface CreationLimit {
  max: number;
  windowMs: number;
}

/** A reservation that did not happen, and why: the caller turns it into a 409 or a 429. */
export type ReservationRefusal = "identifier_taken" | "limit_reached" | "global_limit_reached";

/** A `creating` row older than this was left by a crashed request: it no longer holds its identifier. */
const STALE_RESERVATION_MS = 10 * 60 * 1000;

/**
 * The associated data that binds a sealed share to its row, its owner and its identifier:
 * a sealed value copied to another row, or a row given to another owner, no longer opens.
 */
export const shareBoundTo = (id: string, ownerUserId: string, identifier: PregenIdentifier) =>
  `pregen_wallets:${id}:${ownerUserId}:${identifier.type}:${identifier.value}`;

/**
 * Claims `identifier` for `ownerUserId` before any call to Para, so two requests cannot both
 * create wallets for it, nor anyone run past a limit by sending requests in parallel: reservations
 * are serialized by an advisory lock, the identifier by a unique index. Two limits: the owner's,
 * and one for all owners together (any signed-in user could otherwise squat identifiers in bulk).
 */
export async function reservePregenWallets(
  ownerUserId: string,
  identifier: PregenIdentifier,
  limits: { perOwner: CreationLimit; global: CreationLimit },
): Promise<{ id: string } | { refused: ReservationRefusal }> {
  const id = randomBytes(24).toString("base64url");
  const now = Date.now();
  const db = await getDb();
  return db.transaction(async (tx) => {
    // Every reservation counts against the global cap: serialize them all (pregeneration is rare and slow at Para anyway).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('pregen:all'))`);
    await tx
      .delete(pregenWallets)
      .where(and(eq(pregenWallets.status, "creating"), lt(pregenWallets.createdAt, new Date(now - STALE_RESERVATION_MS))));
    const [started] = await tx
      .select({ n: count() })
      .from(pregenWallets)
      .where(and(eq(pregenWallets.ownerUserId, ownerUserId), gt(pregenWallets.createdAt, new Date(now - limits.perOwner.windowMs))));
    if ((started?.n ?? 0) >= limits.perOwner.max) return { refused: "limit_reached" as const };
    const [startedByAll] = await tx
      .select({ n: count() })
      .from(pregenWallets)
      .where(gt(pregenWallets.createdAt, new Date(now - limits.global.windowMs)));
    if ((startedByAll?.n ?? 0) >= limits.global.max) return { refused: "global_limit_reached" as const };
    const inserted = await tx
      .insert(pregenWallets)
      .values({ id, ownerUserId, identifierType: identifier.type, identifier: identifier.value, status: "creating" })
      .onConflictDoNothing({ target: [pregenWallets.identifierType, pregenWallets.identifier] })
      .returning({ id: pregenWallets.id });
    return inserted.length ? { id } : { refused: "identifier_taken" as const };
  });
}

/** Fills a reservation with the wallets Para made and their user share, sealed. */
export async function completePregenWallets(
  reservation: { id: string; ownerUserId: string; identifier: PregenIdentifier },
  wallets: StoredPregenWallet[],
  userShare: string,
): Promise<PregenWalletRecord> {
  const { id, ownerUserId, identifier } = reservation;
  const db = await getDb();
  const [row] = await db
    .update(pregenWallets)
    .set({ status: "ready", wallets, sealedUserShare: seal(userShare, shareBoundTo(id, ownerUserId, identifier), getConfig().dataKeys) })
    .where(and(eq(pregenWallets.id, id), eq(pregenWallets.status, "creating")))
    .returning();
  if (!row) throw new Error(`pregen reservation ${id} disappeared before it was completed`);
  return toRecord(row);
}

/** Gives up a reservation (Para failed, or already had wallets for the identifier). */
export async function releasePregenWallets(id: string): Promise<void> {
  const db = await getDb();
  await db.delete(pregenWallets).where(and(eq(pregenWallets.id, id), eq(pregenWallets.status, "creating")));
}

/** The owner's ready sets, oldest first. */
export async function listPregenWallets(ownerUserId: string): Promise<PregenWalletRecord[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(pregenWallets)
    .where(and(eq(pregenWallets.ownerUserId, ownerUserId), eq(pregenWallets.status, "ready")))
    .orderBy(asc(pregenWallets.createdAt), asc(pregenWallets.id));
  return rows.map(toRecord);
}

/** A ready set by id, whoever owns it (the caller checks ownership). */
export async function findPregenWallets(id: string): Promise<PregenWalletRecord | undefined> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(pregenWallets)
    .where(and(eq(pregenWallets.id, id), eq(pregenWallets.status, "ready")));
  return row ? toRecord(row) : undefined;
}

/**
 * Opens the user share of a ready set, and seals it again under the current data key if an older
 * one sealed it (so a retired key can be dropped once the rows in use have moved). Throws
 * `UnsealError` when the row was moved to another owner or identifier, was sealed under a key id
 * the ring no longer has, or was tampered with.
 */
export async function openUserShare(id: string): Promise<string> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(pregenWallets)
    .where(and(eq(pregenWallets.id, id), eq(pregenWallets.status, "ready")));
  if (!row?.sealedUserShare) throw new Error(`pregen wallets ${id} have no stored share`);
  const ring = getConfig().dataKeys;
  const boundTo = shareBoundTo(row.id, row.ownerUserId, toRecord(row).identifier);
  const share = unseal(row.sealedUserShare, boundTo, ring);
  if (sealedKeyId(row.sealedUserShare) !== ring.currentId) {
    await db
      .update(pregenWallets)
      .set({ sealedUserShare: seal(share, boundTo, ring) })
      .where(and(eq(pregenWallets.id, row.id), eq(pregenWallets.sealedUserShare, row.sealedUserShare)));
  }
  return share;
}

function toRecord(row: typeof pregenWallets.$inferSelect): PregenWalletRecord {
  return {
    id: row.id,
    ownerUserId: row.ownerUserId,
    identifier: { type: row.identifierType, value: row.identifier },
    wallets: row.wallets,
    createdAt: row.createdAt,
  };
}
