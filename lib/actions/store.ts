import "server-only";
import { randomBytes } from "node:crypto";
import { and, count, desc, eq, exists, gt, inArray, sql } from "drizzle-orm";
import { type Database, getDb } from "../db/client";
import { type ActionResult, scheduledActions, sessionGrants } from "../db/schema";

export type ScheduledAction = typeof scheduledActions.$inferSelect;
export type NewAction = Pick<ScheduledAction, "userId" | "paraSessionId" | "grantId" | "at" | "library" | "kind" | "message">;

export async function insertAction(action: NewAction): Promise<ScheduledAction> {
  const db = await getDb();
  const [row] = await db
    .insert(scheduledActions)
    .values({ id: `act_${randomBytes(12).toString("base64url")}`, ...action })
    .returning();
  return row!;
}

export async function setActionRun(id: string, runId: string): Promise<void> {
  const db = await getDb();
  await db.update(scheduledActions).set({ runId }).where(eq(scheduledActions.id, id));
}

export async function findAction(id: string): Promise<ScheduledAction | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(scheduledActions).where(eq(scheduledActions.id, id));
  return row;
}

export async function listActions(userId: string, limit = 50): Promise<ScheduledAction[]> {
  const db = await getDb();
  return db
    .select()
    .from(scheduledActions)
    .where(eq(scheduledActions.userId, userId))
    .orderBy(desc(scheduledActions.createdAt))
    .limit(limit);
}

export async function countScheduled(userId: string): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ n: count() })
    .from(scheduledActions)
    .where(and(eq(scheduledActions.userId, userId), eq(scheduledActions.status, "scheduled")));
  return row?.n ?? 0;
}

/**
 * Moves a scheduled action to `running` and records the attempt, in the same statement that checks
 * its grant is still there and still lasts: for exactly one caller, ever, and never once the grant
 * has ended. Answers the attempt's start (what `finishAction` takes), or undefined.
 */
export async function claimAction(id: string): Promise<Date | undefined> {
  const db = await getDb();
  const granted = db
    .select({ one: sql`1` })
    .from(sessionGrants)
    .where(
      and(
        eq(sessionGrants.paraSessionId, scheduledActions.paraSessionId),
        eq(sessionGrants.grantId, scheduledActions.grantId),
        gt(sessionGrants.until, sql`now()`),
      ),
    );
  const [claimed] = await db
    .update(scheduledActions)
    .set({ status: "running", startedAt: new Date() })
    .where(and(eq(scheduledActions.id, id), eq(scheduledActions.status, "scheduled"), exists(granted)))
    .returning({ startedAt: scheduledActions.startedAt });
  return claimed?.startedAt ?? undefined;
}

/** Records the outcome of the attempt that started at `startedAt`; any other attempt's answer is ignored. */
export async function finishAction(id: string, startedAt: Date, outcome: { result: ActionResult } | { errorCode: string }): Promise<void> {
  const db = await getDb();
  await db
    .update(scheduledActions)
    .set({ status: "result" in outcome ? "done" : "failed", ...outcome, finishedAt: new Date() })
    .where(and(eq(scheduledActions.id, id), eq(scheduledActions.status, "running"), eq(scheduledActions.startedAt, startedAt)));
}

/**
 * Ends actions that have not started: one of a user's, or a Para session's (only those of grant
 * `grantId`, when given); `cancelled`, or `failed` with a code. Answers the ones it ended.
 */
export async function endScheduled(
  where: { id: string; userId: string } | { paraSessionId: string; grantId?: string },
  outcome: { status: "cancelled" } | { status: "failed"; errorCode: string },
  tx?: Pick<Database, "update">,
): Promise<ScheduledAction[]> {
  const db = tx ?? (await getDb());
  const match =
    "id" in where
      ? and(eq(scheduledActions.id, where.id), eq(scheduledActions.userId, where.userId))
      : and(
          eq(scheduledActions.paraSessionId, where.paraSessionId),
          where.grantId === undefined ? undefined : eq(scheduledActions.grantId, where.grantId),
        );
  return db
    .update(scheduledActions)
    .set({ ...outcome, finishedAt: new Date() })
    .where(and(match, inArray(scheduledActions.status, ["scheduled"])))
    .returning();
}
