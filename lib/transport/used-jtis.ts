import "server-only";
import { lte } from "drizzle-orm";
import { getDb } from "../db/client";
import { usedTransportJtis } from "../db/schema";

/**
 * Takes `jti` once: true the first time any instance sharing the database takes it, false after.
 * Kept until `expiresAt` (the JWT's own `exp`); the ones past it are removed on the way.
 */
export async function takeJti(jti: string, expiresAt: Date, now = new Date()): Promise<boolean> {
  const db = await getDb();
  await db.delete(usedTransportJtis).where(lte(usedTransportJtis.expiresAt, now));
  const taken = await db
    .insert(usedTransportJtis)
    .values({ jti, expiresAt })
    .onConflictDoNothing()
    .returning({ jti: usedTransportJtis.jti });
  return taken.length === 1;
}
