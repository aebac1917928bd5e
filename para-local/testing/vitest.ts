import { afterAll, beforeAll } from "vitest";
import { type ParaLocal, type ParaLocalOptions, startParaLocal } from "../server.js";

/**
 * Runs para-local (test mode) in this test file's process for the file's tests, so a test
 * can stop it to see how the app behaves when Para is unreachable. `sessionLengthMs` starts it
 * with that session length, as `--session-length` does.
 */
export function paraLocalForThisFile(options: Pick<ParaLocalOptions, "sessionLengthMs"> = {}) {
  const handle = {
    current: undefined as ParaLocal | undefined,
    async stop() {
      await handle.current?.close();
      handle.current = undefined;
    },
    async start() {
      handle.current = await startParaLocal({ ...options, testMode: true, quiet: true });
    },
  };
  beforeAll(() => handle.start());
  afterAll(() => handle.stop());
  return handle;
}
