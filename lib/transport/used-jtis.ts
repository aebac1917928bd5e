import "server-only";
import { eq, lte, sql } from "drizzle-orm";
import { getDb } from "../db/client";
import { usedTransportJtis } from "../db/schema";

/**
 * Takes `jti` once: true the first time any instance sharing the database takes it, false after.
 * Kept until `keepUntil`; the ones past it are removed on the way, by the database's clock, so
 * instances whose clocks differ agree on what has expired.
 */
export async function takeJti(jti: string, keepUntil: Date): Promise<boolean> {
  const db = await getDb();
  await db.delete(usedTransportJtis).where(lte(usedTransportJtis.expiresAt, sql`now()`));
  const taken = await db
    .insert(usedTransportJtis)
    .values({ jti, expiresAt: keepUntil })
    .onConflictDoNothing()
    .returning({ jti: usedTransportJtis.jti });
  return taken.length === 1;
}

/** Gives `jti` back: the request that took it stored nothing, so the same encrypted session may be sent again. */
export async function giveBackJti(jti: string): Promise<void> {
  const db = await getDb();
  await db.delete(usedTransportJtis).where(eq(usedTransportJtis.jti, jti));
}
