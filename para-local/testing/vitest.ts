import { afterAll, beforeAll } from "vitest";
import { type ParaLocal, startParaLocal } from "../server.js";

/**
 * Runs para-local (test mode) in this test file's process for the file's tests, so a test
 * can stop it to see how the app behaves when Para is unreachable.
 */
export function paraLocalForThisFile() {
  const handle = {
    current: undefined as ParaLocal | undefined,
    async stop() {
      await handle.current?.close();
      handle.current = undefined;
    },
    async start() {
      handle.current = await startParaLocal({ testMode: true, quiet: true });
    },
  };
  beforeAll(() => handle.start());
  afterAll(() => handle.stop());
  return handle;
}
