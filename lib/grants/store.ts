import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { type Database, getDb } from "../db/client";
import { scheduledActions, sessionGrants } from "../db/schema";

export type Grant = typeof sessionGrants.$inferSelect;

export async function findGrant(paraSessionId: string): Promise<Grant | undefined> {
  const db = await getDb();
  const [grant] = await db.select().from(sessionGrants).where(eq(sessionGrants.paraSessionId, paraSessionId));
  return grant;
}

/**
 * Creates or replaces the grant of a Para session; answers the new grant and the run of the one it
 * replaced. The actions scheduled under the grant it replaces move to the new one.
 */
export async function saveGrant(grant: {
  paraSessionId: string;
  userId: string;
  until: Date;
}): Promise<{ grantId: string; replacedRunId: string | null }> {
  const grantId = randomBytes(16).toString("base64url");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ grantId: sessionGrants.grantId, runId: sessionGrants.runId })
      .from(sessionGrants)
      .where(eq(sessionGrants.paraSessionId, grant.paraSessionId))
      .for("update");
    const row = { ...grant, grantId, runId: null };
    await tx.insert(sessionGrants).values(row).onConflictDoUpdate({ target: sessionGrants.paraSessionId, set: row });
    if (before) {
      await tx
        .update(scheduledActions)
        .set({ grantId })
        .where(and(eq(scheduledActions.grantId, before.grantId), eq(scheduledActions.status, "scheduled")));
    }
    return { grantId, replacedRunId: before?.runId ?? null };
  });
}

/**
 * Records `runId` as the run that keeps grant `grantId`, in place of `previousRunId` (null: the
 * first). False when the grant was replaced, ended, or already handed to another run.
 */
export async function setGrantRun(paraSessionId: string, grantId: string, runId: string, previousRunId: string | null): Promise<boolean> {
  const db = await getDb();
  const updated = await db
    .update(sessionGrants)
    .set({ runId })
    .where(
      and(
        eq(sessionGrants.paraSessionId, paraSessionId),
        eq(sessionGrants.grantId, grantId),
        previousRunId === null ? isNull(sessionGrants.runId) : eq(sessionGrants.runId, previousRunId),
      ),
    )
    .returning({ runId: sessionGrants.runId });
  return updated.length === 1;
}

/** Deletes the grant (only grant `grantId`, when given); answers it as it was, or undefined. */
export async function deleteGrant(paraSessionId: string, grantId?: string, tx?: Pick<Database, "delete">): Promise<Grant | undefined> {
  const db = tx ?? (await getDb());
  const [grant] = await db
    .delete(sessionGrants)
    .where(and(eq(sessionGrants.paraSessionId, paraSessionId), grantId === undefined ? undefined : eq(sessionGrants.grantId, grantId)))
    .returning();
  return grant;
}
