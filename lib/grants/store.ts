import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { getDb } from "../db/client";
import { sessionGrants } from "../db/schema";

export type Grant = typeof sessionGrants.$inferSelect;

export async function findGrant(paraSessionId: string): Promise<Grant | undefined> {
  const db = await getDb();
  const [grant] = await db.select().from(sessionGrants).where(eq(sessionGrants.paraSessionId, paraSessionId));
  return grant;
}

/** Creates or replaces the grant of a Para session; answers the new grant and the run of the one it replaced. */
export async function saveGrant(grant: {
  paraSessionId: string;
  userId: string;
  until: Date;
}): Promise<{ grantId: string; replacedRunId: string | null }> {
  const grantId = randomBytes(16).toString("base64url");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ runId: sessionGrants.runId })
      .from(sessionGrants)
      .where(eq(sessionGrants.paraSessionId, grant.paraSessionId))
      .for("update");
    const row = { ...grant, grantId, runId: null };
    await tx.insert(sessionGrants).values(row).onConflictDoUpdate({ target: sessionGrants.paraSessionId, set: row });
    return { grantId, replacedRunId: before?.runId ?? null };
  });
}

/** Records the run that keeps grant `grantId` alive; false when another grant replaced it meanwhile. */
export async function setGrantRun(paraSessionId: string, grantId: string, runId: string): Promise<boolean> {
  const db = await getDb();
  const updated = await db
    .update(sessionGrants)
    .set({ runId })
    .where(and(eq(sessionGrants.paraSessionId, paraSessionId), eq(sessionGrants.grantId, grantId)))
    .returning({ runId: sessionGrants.runId });
  return updated.length === 1;
}

/** Deletes the grant (only grant `grantId`, when given); answers it as it was, or undefined. */
export async function deleteGrant(paraSessionId: string, grantId?: string): Promise<Grant | undefined> {
  const db = await getDb();
  const [grant] = await db
    .delete(sessionGrants)
    .where(and(eq(sessionGrants.paraSessionId, paraSessionId), grantId === undefined ? undefined : eq(sessionGrants.grantId, grantId)))
    .returning();
  return grant;
}
