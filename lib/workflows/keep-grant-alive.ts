import { getWorkflowMetadata, sleep } from "workflow";

/**
 * A grant's durable run, for one wake: sleep until shortly before Para's end, keep the session
 * alive, then hand over to a new run, which does the same; until the grant ends or Para ends the
 * session. One run per wake keeps each run's record a few events long, however long the grant.
 * The engine keeps the sleep across restarts and deploys, and retries a failed step.
 */
export async function keepGrantAlive(paraSessionId: string, grantId: string, previousRunId: string | null): Promise<void> {
  "use workflow";

  const wakeAt = await planWake(paraSessionId, grantId, previousRunId).catch(() => "later" as const);
  if (wakeAt === null) return;
  if (wakeAt === "later") {
    // Planning failed on every retry (the database down, or this run never recorded): the next run plans again.
    await sleep("1m");
  } else {
    await sleep(new Date(wakeAt));
    // Failed on every retry (Para down): the next run tries again; once Para's end has passed, it ends the grant.
    if (!(await keepAlive(paraSessionId, grantId).catch(() => true))) return;
  }
  // The run that keeps the grant never gives up handing it over: else nothing would keep it.
  for (;;) {
    try {
      return await handOver(paraSessionId, grantId);
    } catch {
      await sleep("1m");
    }
  }
}

// Steps load the app's modules when they run: the workflow function itself runs in the engine's sandbox.
async function planWake(paraSessionId: string, grantId: string, previousRunId: string | null): Promise<string | null> {
  "use step";

  const { nextGrantWake } = await import("../grants/service");
  const { stepFailure } = await import("./step-failure");
  return nextGrantWake(paraSessionId, grantId, getWorkflowMetadata().workflowRunId, previousRunId).catch(stepFailure("planWake"));
}

async function keepAlive(paraSessionId: string, grantId: string): Promise<boolean> {
  "use step";

  const { keepGrantedSessionAlive } = await import("../grants/service");
  const { stepFailure } = await import("./step-failure");
  return keepGrantedSessionAlive(paraSessionId, grantId, getWorkflowMetadata().workflowRunId).catch(stepFailure("keepAlive"));
}

async function handOver(paraSessionId: string, grantId: string): Promise<void> {
  "use step";

  const { continueGrant } = await import("../grants/service");
  const { stepFailure } = await import("./step-failure");
  await continueGrant(paraSessionId, grantId, getWorkflowMetadata().workflowRunId).catch(stepFailure("handOver"));
}
