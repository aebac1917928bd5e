import "server-only";
import { endScheduled } from "../actions/store";
import { cancelRun } from "../workflows/engine";
import { deleteGrant, findGrant } from "./store";

/** Why a grant ended: what the scheduled actions of its session fail with. */
export type GrantEnd = "grant_revoked" | "grant_expired" | "session_expired";

export interface GrantView {
  until: string;
}

/** The live grant of a Para session, as the API shows it. */
export async function grantView(paraSessionId: string | undefined): Promise<GrantView | undefined> {
  const grant = paraSessionId ? await findGrant(paraSessionId) : undefined;
  return grant && grant.until.getTime() > Date.now() ? { until: grant.until.toISOString() } : undefined;
}

/**
 * Ends a Para session's grant: its row, its run, and its scheduled actions (failed with `why`,
 * their runs stopped). `grantId`: only that grant (its own run ending it, which is not stopped).
 */
export async function endGrant(paraSessionId: string, why: GrantEnd, grantId?: string): Promise<void> {
  const grant = await deleteGrant(paraSessionId, grantId);
  if (grantId !== undefined && !grant) return;
  if (grantId === undefined) await cancelRun(grant?.runId);
  const failed = await endScheduled({ paraSessionId }, { status: "failed", errorCode: why });
  await Promise.all(failed.map((action) => cancelRun(action.runId)));
}
