/**
 * `npm run dev`: para-local and `next dev` together when no PARA_API_KEY is set (just
 * `next dev` with one). Ctrl-C stops both; if either stops, so does the other.
 */
import path from "node:path";
import nextEnv from "@next/env";
import { type Child, startChild, stopChildren, waitForUrl } from "./processes.js";

// The same .env files Next.js reads, so PARA_API_KEY in .env.local decides here too.
nextEnv.loadEnvConfig(process.cwd(), true);

const children: Child[] = [];
const useParaLocal = !process.env.PARA_API_KEY;

async function main(): Promise<number> {
  // Migrations first, to completion; only the long-running children below end the race.
  const migrate = startChild("db:migrate", "npm", ["run", "--silent", "db:migrate"]);
  if ((await migrate.exited) !== 0) return 1;
  if (useParaLocal) {
    // Its state lives beside the app's, so a restart keeps everyone signed in.
    const dataFile = path.join(process.env.PARA_DATA_DIR || ".data", "para-local.json");
    const paraLocal = startChild("para-local", process.execPath, ["--import", "tsx", "para-local/main.ts", "--data", dataFile]);
    children.push(paraLocal);
    await waitForUrl("http://localhost:8080/health", 30_000, paraLocal);
  } else {
    process.stdout.write("PARA_API_KEY is set: talking to Para, not starting para-local.\n");
  }
  children.push(startChild("next", "node_modules/.bin/next", ["dev", ...process.argv.slice(2)]));
  return Promise.race(children.map((child) => child.exited));
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void stopChildren(children).then(() => process.exit(0));
  });
}

const code = await main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
});
await stopChildren(children);
process.exit(code);
