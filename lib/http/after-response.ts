import "server-only";
import { after } from "next/server";

/**
 * Keeps `work` running after the response is sent: on Vercel `after()` extends the function's life
 * until it settles (`waitUntil`); on a long-running server it simply goes on. Outside a request
 * (scripts, tests importing lib/) there is no response to wait for, and the process keeps it alive.
 */
export function finishAfterResponse(work: Promise<unknown>): void {
  try {
    after(work);
  } catch {
    // Not in a request scope: nothing to extend.
  }
}
