/**
 * Runs once when a server instance starts: a configuration mistake (a missing secret, a key
 * for the wrong environment) stops start-up with its message, instead of surfacing as a 500
 * on the first request; from then on, secrets are redacted from whatever the process prints;
 * and the durable-workflow engine starts (docs/grants.md).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getConfig } = await import("./lib/config");
  const { workflow, database } = getConfig();
  const { installLogRedaction } = await import("./lib/log-redaction");
  installLogRedaction();
  // Vercel's queues call the engine's routes: nothing to start, and ≈ 80 MB not loaded on a cold start.
  if (database.onVercel) return;
  // The engine reads its folder from the environment: the app's data folder unless one is set.
  process.env.WORKFLOW_LOCAL_DATA_DIR = workflow.localDataDir;
  // Without start(), a run that was asleep when the server stopped never wakes after a restart.
  const { getWorld } = await import("workflow/runtime");
  await getWorld().start?.();
}
