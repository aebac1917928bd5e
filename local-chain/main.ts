/**
 * `npm run chain`: a local EVM chain on 127.0.0.1:8545 with funded dev accounts, the ERC-4337
 * EntryPoint v0.7 and SimpleAccountFactory deployed, and the Alto bundler on 127.0.0.1:4337.
 * Prints the variables the app needs (`npm run dev` sets them itself), then runs until Ctrl-C.
 */
import { startLocalChain } from "./start.js";

/** `--rpc-port N`, `--bundler-port N`: other ports than 8545 and 4337 (the Playwright specs run their own chain). */
const portArg = (name: string) => {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : Number(process.argv[index + 1]);
};
const chain = await startLocalChain({
  rpcPort: portArg("--rpc-port"),
  bundlerPort: portArg("--bundler-port"),
  output: process.argv.includes("--verbose") ? process.stderr : undefined,
});
process.stdout.write(
  [
    `Local chain ${chain.chainId} at ${chain.rpcUrl} (${chain.startedInMs.chain} ms), bundler at ${chain.bundlerUrl} (${chain.startedInMs.bundler} ms more)`,
    `EntryPoint v0.7 ${chain.entryPoint} · SimpleAccountFactory ${chain.simpleAccountFactory}`,
    `EntryPoint v0.8 ${chain.entryPoint08} · Simple7702Account ${chain.simple7702Account} (EIP-7702)`,
    "For the app (.env.local, or npm run dev does it):",
    ...Object.entries(chain.env).map(([name, value]) => `  ${name}=${value}`),
    "",
  ].join("\n"),
);
const stop = () => void chain.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
