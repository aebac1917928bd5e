import { sleep } from "workflow";

/** One durable run per scheduled action: sleep until `at`, then sign once (lib/actions/service.ts). */
export async function runScheduledAction(actionId: string, at: string): Promise<void> {
  "use workflow";

  await sleep(new Date(at));
  try {
    await perform(actionId);
  } catch {
    // Para failed on every retry before anything was signed: the action fails, nothing is signed.
    await giveUp(actionId);
  }
}

// Steps load the app's server modules when they run: the workflow function itself runs in the engine's sandbox.
async function perform(actionId: string): Promise<void> {
  "use step";

  const { performAction } = await import("../actions/service");
  await performAction(actionId);
}

async function giveUp(actionId: string): Promise<void> {
  "use step";

  const { failUnstarted } = await import("../actions/service");
  await failUnstarted(actionId, "upstream_unavailable");
}
