import "server-only";
import { endScheduled } from "../actions/store";
import { getDb } from "../db/client";
import { cancelRun } from "../workflows/engine";
import { deleteGrant } from "./store";

/** Why a grant ended: what the scheduled actions of its session fail with. */
export type GrantEnd = "grant_revoked" | "grant_expired" | "session_expired";

export interface GrantView {
  until: string;
}

/**
 * Ends a Para session's grant and its scheduled actions (failed with `why`) in one transaction,
 * then stops their runs. `grantId`: only that grant and its actions (its own run ending it, which
 * is not stopped); without it, every scheduled action of the session goes too (logout).
 */
export async function endGrant(paraSessionId: string, why: GrantEnd, grantId?: string): Promise<void> {
  const db = await getDb();
  const { grant, failed } = await db.transaction(async (tx) => {
    const grant = await deleteGrant(paraSessionId, grantId, tx);
    if (grantId !== undefined && !grant) return { grant, failed: [] };
    return { grant, failed: await endScheduled({ paraSessionId, grantId }, { status: "failed", errorCode: why }, tx) };
  });
  if (grantId === undefined) await cancelRun(grant?.runId);
  await Promise.all(failed.map((action) => cancelRun(action.runId)));
}
