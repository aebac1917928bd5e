import { parseArgs } from "node:util";
import { createLogger } from "./log.js";
import { parseLatency, startParaLocal } from "./server.js";
import { formatSessionLength, parseSessionLength } from "./session-length.js";

const { values } = parseArgs({
  options: {
    test: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
    data: { type: "string" },
    "session-length": { type: "string" },
    latency: { type: "string" },
  },
});

/** A setting: its flag, else its variable (empty = unset); a bad value stops para-local, naming where it came from. */
function setting<T>(flag: "session-length" | "latency", variable: string, parse: (text: string) => T): T | undefined {
  const text = values[flag] ?? (process.env[variable] || undefined);
  if (text === undefined) return undefined;
  try {
    return parse(text);
  } catch (error) {
    const source = values[flag] === undefined ? variable : `--${flag}`;
    process.stderr.write(`para-local: ${source}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

// The session length, as Para's developer portal sets it per API key.
const sessionLengthMs = setting("session-length", "PARA_LOCAL_SESSION_LENGTH", parseSessionLength);
// Para's network round trip, which every API answer waits (milliseconds).
const latencyMs = setting("latency", "PARA_LOCAL_LATENCY_MS", parseLatency);

try {
  // No prefix of its own: this process is para-local, and whoever runs it beside others (npm run dev's concurrently) names its lines.
  const log = createLogger({ quiet: values.quiet, prefix: false });
  const paraLocal = await startParaLocal({ testMode: values.test, log, dataFile: values.data, sessionLengthMs, latencyMs });
  const length = `sessions last ${formatSessionLength(paraLocal.store.startSessionLengthMs)}`;
  const latency = paraLocal.latency.ms > 0 ? ` · API answers ${paraLocal.latency.ms} ms late` : "";
  process.stdout.write(
    `API ${paraLocal.apiUrl} · portal ${paraLocal.portalUrl} · ${length}${latency}${values.test ? " · test controls on /test" : ""}\n`,
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
