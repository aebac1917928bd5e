import "server-only";
import { randomBytes } from "node:crypto";
import { and, asc, eq, lt } from "drizzle-orm";
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

/** A set's row while it is `creating`: what the seal of its share is bound to. */
export interface PregenReservation {
  id: string;
  ownerUserId: string;
  identifier: PregenIdentifier;
}

/**
 * A `creating` row older than this, for an identifier Para has just said it holds no wallets for,
 * was left by a request that ended before Para made any (a crash, or a release the database did
 * not take): it no longer holds the identifier.
 */
const STALE_RESERVATION_MS = 10 * 60 * 1000;

/**
 * The associated data that binds a sealed share to its row, its owner and its identifier:
 * a sealed value copied to another row, or a row given to another owner, no longer opens.
 */
export const shareBoundTo = (id: string, ownerUserId: string, identifier: PregenIdentifier) =>
  `pregen_wallets:${id}:${ownerUserId}:${identifier.type}:${identifier.value}`;

/**
 * Claims `identifier` for `ownerUserId` before Para is asked to make wallets, so two requests
 * cannot both create them (a unique index decides); undefined when another row holds it. Call it
 * only once Para has said it has no wallets for the identifier: a stale `creating` row is then
 * taken over, while a row whose wallets Para made (`ready`, `unstored`) is never given up.
 */
export async function reservePregenWallets(ownerUserId: string, identifier: PregenIdentifier): Promise<PregenReservation | undefined> {
  const id = randomBytes(24).toString("base64url");
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx
      .delete(pregenWallets)
      .where(
        and(
          eq(pregenWallets.identifierType, identifier.type),
          eq(pregenWallets.identifier, identifier.value),
          eq(pregenWallets.status, "creating"),
          lt(pregenWallets.createdAt, new Date(Date.now() - STALE_RESERVATION_MS)),
        ),
      );
    const inserted = await tx
      .insert(pregenWallets)
      .values({ id, ownerUserId, identifierType: identifier.type, identifier: identifier.value, status: "creating" })
      .onConflictDoNothing({ target: [pregenWallets.identifierType, pregenWallets.identifier] })
      .returning({ id: pregenWallets.id });
    return inserted.length ? { id, ownerUserId, identifier } : undefined;
  });
}

/** Fills a reservation with the wallets Para made and their user share, sealed. */
export async function completePregenWallets(
  reservation: PregenReservation,
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

/**
 * Records that Para made `wallets` for a reservation whose share could not be stored: the row
 * keeps the identifier (Para's is taken for good) and tells an operator which wallets they are.
 */
export async function markPregenWalletsUnstored(id: string, wallets: StoredPregenWallet[]): Promise<void> {
  const db = await getDb();
  const marked = await db
    .update(pregenWallets)
    .set({ status: "unstored", wallets })
    .where(and(eq(pregenWallets.id, id), eq(pregenWallets.status, "creating")))
    .returning({ id: pregenWallets.id });
  if (!marked.length) throw new Error(`pregen reservation ${id} disappeared before it was marked unstored`);
}

/** Gives up a reservation for which Para made nothing. */
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
