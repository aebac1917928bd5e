import { getWorkflowMetadata, sleep } from "workflow";

/** One durable run per scheduled action: sleep until `at`, then sign once (lib/actions/service.ts). */
export async function runScheduledAction(actionId: string, at: string): Promise<void> {
  "use workflow";

  await sleep(new Date(at));
  try {
    await perform(actionId);
    return;
  } catch {
    // Every retry failed. An attempt may still be signing: its lease (SIGNING_LEASE_MS) passes first.
    await sleep("5m");
  }
  for (;;) {
    try {
      return await giveUp(actionId);
    } catch {
      await sleep("1m");
    }
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

  const { giveUpAction } = await import("../actions/service");
  const { stepFailure } = await import("./step-failure");
  await giveUpAction(actionId, getWorkflowMetadata().workflowRunId).catch(stepFailure("giveUp"));
}
