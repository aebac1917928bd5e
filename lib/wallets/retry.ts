import { setTimeout as sleep } from "node:timers/promises";

/**
 * Runs `action`, and runs it again after each wait in `delaysMs` for as long as it fails: the
 * last failure is thrown. For writes that must not be lost to a short database outage.
 */
export async function retryWithBackoff<T>(action: () => Promise<T>, delaysMs: readonly number[]): Promise<T> {
  for (const delayMs of delaysMs) {
    try {
      return await action();
    } catch {
      await sleep(delayMs);
    }
  }
  return action();
}
