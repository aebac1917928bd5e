import { parseArgs } from "node:util";
import { createLogger } from "./log.js";
import { startParaLocal } from "./server.js";
import { formatSessionLength, parseSessionLength } from "./session-length.js";

const { values } = parseArgs({
  options: {
    test: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
    data: { type: "string" },
    "session-length": { type: "string" },
  },
});

// The session length, as Para's developer portal sets it per API key: the flag, else the variable (empty = unset).
const lengthSetting = values["session-length"] ?? (process.env.PARA_LOCAL_SESSION_LENGTH || undefined);
let sessionLengthMs: number | undefined;
try {
  sessionLengthMs = lengthSetting === undefined ? undefined : parseSessionLength(lengthSetting);
} catch (error) {
  const source = values["session-length"] === undefined ? "PARA_LOCAL_SESSION_LENGTH" : "--session-length";
  process.stderr.write(`para-local: ${source}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

try {
  // No prefix of its own: this process is para-local, and whoever runs it beside others (npm run dev's concurrently) names its lines.
  const log = createLogger({ quiet: values.quiet, prefix: false });
  const paraLocal = await startParaLocal({ testMode: values.test, log, dataFile: values.data, sessionLengthMs });
  const length = `sessions last ${formatSessionLength(paraLocal.store.startSessionLengthMs)}`;
  process.stdout.write(
    `API ${paraLocal.apiUrl} · portal ${paraLocal.portalUrl} · ${length}${values.test ? " · test controls on /test" : ""}\n`,
  );
  const stop = () => {
    void paraLocal.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
