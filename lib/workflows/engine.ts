import "server-only";
import { getRun, start } from "workflow/api";
import { logError } from "../log";

export { start };

/** Stops a durable run (a revoked grant, a cancelled action). A run that already ended is fine: logged, not thrown. */
export async function cancelRun(runId: string | null | undefined): Promise<void> {
  if (!runId) return;
  try {
    await getRun(runId).cancel();
  } catch (error) {
    logError("workflow-cancel", error);
  }
}
