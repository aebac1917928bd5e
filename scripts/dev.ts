/**
 * `npm run dev`: migrations, the local chain with its bundler (`npm run chain`; `--no-chain` to
 * skip it), then para-local and `next dev` side by side when no PARA_API_KEY is set (just
 * `next dev` with one), their output prefixed. `concurrently` keeps them together: Ctrl-C stops
 * both, and if either stops, so does the other.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import nextEnv from "@next/env";
import concurrently, { type ConcurrentlyCommandInput } from "concurrently";
import { quote } from "shell-quote";
import { type LocalChain, startLocalChain } from "../local-chain/start";

// The same .env files Next.js reads, so PARA_API_KEY in .env.local decides here too.
nextEnv.loadEnvConfig(process.cwd(), true);
const useParaLocal = !process.env.PARA_API_KEY;

// Migrations first, to completion (a configuration mistake stops here, with its message).
if (spawnSync("npm", ["run", "--silent", "db:migrate"], { stdio: "inherit" }).status !== 0) process.exit(1);

// The local chain for the EVM and smart-account examples; the app finds it through these variables.
const args = process.argv.slice(2).filter((arg) => arg !== "--no-chain");
let chain: LocalChain | undefined;
if (!process.argv.includes("--no-chain") && !process.env.LOCAL_CHAIN_RPC_URL) {
  try {
    chain = await startLocalChain();
    Object.assign(process.env, chain.env);
    process.stdout.write(`Local chain at ${chain.rpcUrl}, ERC-4337 bundler at ${chain.bundlerUrl} (npm run dev -- --no-chain to skip).\n`);
  } catch (error) {
    process.stdout.write(
      `The local chain did not start (${error instanceof Error ? error.message : String(error)}); going on without it.\n`,
    );
  }
}

const next = `next dev ${quote(args)}`;
const commands: ConcurrentlyCommandInput[] = [];
if (useParaLocal) {
  // Its state lives beside the app's, so a restart keeps everyone signed in.
  const dataFile = path.join(process.env.PARA_DATA_DIR || ".data", "para-local.json");
  commands.push({
    name: "para-local",
    prefixColor: "magenta",
    command: quote([process.execPath, "--import", "tsx", "para-local/main.ts", "--data", dataFile]),
  });
  // The browser SDK asks para-local as soon as a page loads: start Next once it answers.
  commands.push({ name: "next", prefixColor: "cyan", command: `wait-on --timeout 30000 http-get://localhost:8080/health && ${next}` });
} else {
  process.stdout.write("PARA_API_KEY is set: talking to Para, not starting para-local.\n");
  commands.push({ name: "next", prefixColor: "cyan", command: next });
}

process.env.NEXT_TELEMETRY_DISABLED = "1";
const { result } = concurrently(commands, { killOthersOn: ["failure", "success"] });
const code = await result.then(
  () => 0,
  () => 1,
);
await chain?.stop();
process.exit(code);
