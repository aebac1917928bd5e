import { getWorkflowMetadata, sleep } from "workflow";

/** One durable run per scheduled action: sleep until `at`, then sign once (lib/actions/service.ts). */
export async function runScheduledAction(actionId: string, at: string): Promise<void> {
  "use workflow";

  await sleep(new Date(at));
  try {
    await perform(actionId);
  } catch {
    // Failed on every retry before the attempt was recorded (Para or the database down): nothing was signed.
    await giveUp(actionId);
  }
}

// Steps load the app's modules when they run: the workflow function itself runs in the engine's sandbox.
async function perform(actionId: string): Promise<void> {
  "use step";

  const { performAction } = await import("../actions/service");
  const { stepFailure } = await import("./step-failure");
  await performAction(actionId, getWorkflowMetadata().workflowRunId).catch(stepFailure("perform"));
}

async function giveUp(actionId: string): Promise<void> {
  "use step";

  const { failUnstarted } = await import("../actions/service");
  const { stepFailure } = await import("./step-failure");
  await failUnstarted(actionId, "retries_exhausted").catch(stepFailure("giveUp"));
}
