import { sleep } from "workflow";

/**
 * One durable run per grant: sleep until shortly before Para's end, keep the session alive, and
 * again, until the grant ends or Para ends the session. The engine keeps the sleep across restarts
 * and deploys, and retries a failed step; a keep-alive that failed on every retry is tried again
 * at the next wake (before Para's end, or just after it, when the grant ends).
 */
export async function keepGrantAlive(paraSessionId: string, grantId: string): Promise<void> {
  "use workflow";

  for (;;) {
    const wakeAt = await planWake(paraSessionId, grantId);
    if (!wakeAt) return;
    await sleep(new Date(wakeAt));
    const kept = await keepAlive(paraSessionId, grantId).catch(() => true);
    if (!kept) return;
  }
}

// Steps load the app's server modules when they run: the workflow function itself runs in the engine's sandbox.
async function planWake(paraSessionId: string, grantId: string): Promise<string | null> {
  "use step";

  const { nextGrantWake } = await import("../grants/service");
  return nextGrantWake(paraSessionId, grantId);
}

async function keepAlive(paraSessionId: string, grantId: string): Promise<boolean> {
  "use step";

  const { keepGrantedSessionAlive } = await import("../grants/service");
  return keepGrantedSessionAlive(paraSessionId, grantId);
}
