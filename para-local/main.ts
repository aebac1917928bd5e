import { parseArgs } from "node:util";
import { startParaLocal } from "./server.js";

const { values } = parseArgs({
  options: {
    test: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
    data: { type: "string" },
  },
});

try {
  const paraLocal = await startParaLocal({ testMode: values.test, quiet: values.quiet, dataFile: values.data });
  process.stdout.write(
    `[para-local] API ${paraLocal.apiUrl} · portal ${paraLocal.portalUrl}${values.test ? " · test controls on /test" : ""}\n`,
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
