/**
 * A local EVM chain with ERC-4337 on it, from npm packages: Hardhat Network (`hardhat node`,
 * EDR, with EIP-7702) and its funded dev accounts; from `@account-abstraction/contracts`, the
 * EntryPoint v0.7 with its SimpleAccountFactory and the EntryPoint v0.8 with its
 * Simple7702Account, deployed through the deterministic deployer at the addresses they have on
 * every public chain; and Pimlico's Alto bundler for both EntryPoints.
 * `npm run chain` runs it (main.ts); the tests start their own on other ports.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import {
  concatHex,
  createPublicClient,
  createWalletClient,
  encodeDeployData,
  getContractAddress,
  type Hex,
  http,
  isAddressEqual,
  type PublicClient,
  zeroHash,
} from "viem";
import { entryPoint07Address, entryPoint08Address } from "viem/account-abstraction";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { LOCAL_CHAIN_ID, SIMPLE_7702_ACCOUNT_08, SIMPLE_ACCOUNT_FACTORY_07 } from "../lib/signing/local-chain-contracts";

/**
 * Hardhat's well-known dev accounts (10,000 ETH each). Public keys: never use them on a real chain.
 * One for each job, so none waits on another's nonce.
 */
export const DEV_KEYS = {
  deployer: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  bundlerExecutor: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  bundlerUtility: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  /** What the app funds wallets and smart accounts from (LOCAL_CHAIN_FUNDER_KEY). */
  funder: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
} as const satisfies Record<string, Hex>;

/** Arachnid's deterministic deployment proxy, at the address it has on every chain (CREATE2 with the salt in front of the init code). */
const DEPLOYER = "0x4e59b44847b379578588920ca78fbf26c0b4956c";
const DEPLOYER_CODE: Hex =
  "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3";
/** The salts the EntryPoints v0.7 and v0.8 were deployed with everywhere; the accounts' are zero. */
const ENTRYPOINT_07_SALT: Hex = "0x90d8084deab30c2a37c45e8d47f49f2f7965183cb6990a98943ef94940681de3";
const ENTRYPOINT_08_SALT: Hex = "0x0a59dbff790c23c976a548690c27297883cc66b4c67024f9117b0238995e35e9";

export interface LocalChain {
  rpcUrl: string;
  bundlerUrl: string;
  chainId: number;
  entryPoint: Hex;
  simpleAccountFactory: Hex;
  /** EntryPoint v0.8 and the account logic an EIP-7702 EOA delegates to. */
  entryPoint08: Hex;
  simple7702Account: Hex;
  /** The variables the app reads to use this chain. */
  env: Record<string, string>;
  /** How long the chain and the bundler took to answer, in ms. */
  startedInMs: { chain: number; bundler: number };
  stop(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export async function startLocalChain({
  rpcPort = 8545,
  bundlerPort = 4337,
  output,
}: { rpcPort?: number; bundlerPort?: number; output?: Writable } = {}): Promise<LocalChain> {
  const started = performance.now();
  const rpcUrl = `http://127.0.0.1:${rpcPort}`;
  const bundlerUrl = `http://127.0.0.1:${bundlerPort}`;
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopProcess));
  };
  try {
    const hardhatBin = packageFile("hardhat", "dist/src/cli.js");
    children.push(
      run(
        process.execPath,
        [hardhatBin, "--config", path.join(here, "hardhat.config.ts"), "node", "--hostname", "127.0.0.1", "--port", String(rpcPort)],
        output,
      ),
    );
    const client = createPublicClient({ chain: hardhat, transport: http(rpcUrl) });
    await until(() => client.getChainId(), `the chain at ${rpcUrl}`, children[0]!);
    const chainMs = performance.now() - started;

    await deployContracts(client, rpcUrl);

    const altoBin = packageFile("@pimlico/alto", "esm/cli/alto.js");
    children.push(
      run(
        process.execPath,
        [
          altoBin,
          ...["--entrypoints", `${entryPoint07Address},${entryPoint08Address}`],
          ...["--executor-private-keys", DEV_KEYS.bundlerExecutor],
          ...["--utility-private-key", DEV_KEYS.bundlerUtility],
          ...["--rpc-url", rpcUrl],
          ...["--port", String(bundlerPort)],
          // Hardhat has no debug_traceCall tracer for ERC-7562's rules; the EntryPoint's own checks still run.
          ...["--safe-mode", "false"],
          ...["--log-level", "warn"],
        ],
        output,
      ),
    );
    await until(() => rpc(bundlerUrl, "eth_supportedEntryPoints"), `the bundler at ${bundlerUrl}`, children[1]!);
    return {
      rpcUrl,
      bundlerUrl,
      chainId: LOCAL_CHAIN_ID,
      entryPoint: entryPoint07Address,
      simpleAccountFactory: SIMPLE_ACCOUNT_FACTORY_07,
      entryPoint08: entryPoint08Address,
      simple7702Account: SIMPLE_7702_ACCOUNT_08,
      env: { LOCAL_CHAIN_RPC_URL: rpcUrl, LOCAL_BUNDLER_URL: bundlerUrl, LOCAL_CHAIN_FUNDER_KEY: DEV_KEYS.funder },
      startedInMs: { chain: Math.round(chainMs), bundler: Math.round(performance.now() - started - chainMs) },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The deterministic deployer, then the contracts through it: the addresses are those of every public chain. */
async function deployContracts(client: PublicClient, rpcUrl: string): Promise<void> {
  await client.request({ method: "hardhat_setCode" as never, params: [DEPLOYER, DEPLOYER_CODE] as never });
  const wallet = createWalletClient({ chain: hardhat, transport: http(rpcUrl), account: privateKeyToAccount(DEV_KEYS.deployer) });
  const factory = artifact(V07, "SimpleAccountFactory");
  const factoryInit = encodeDeployData({ abi: factory.abi, bytecode: factory.bytecode, args: [entryPoint07Address] });
  for (const [name, salt, init, expected] of [
    ["EntryPoint v0.7", ENTRYPOINT_07_SALT, artifact(V07, "EntryPoint").bytecode, entryPoint07Address],
    ["SimpleAccountFactory v0.7", zeroHash, factoryInit, SIMPLE_ACCOUNT_FACTORY_07],
    ["EntryPoint v0.8", ENTRYPOINT_08_SALT, artifact(V08, "EntryPoint").bytecode, entryPoint08Address],
    ["Simple7702Account v0.8", zeroHash, artifact(V08, "Simple7702Account").bytecode, SIMPLE_7702_ACCOUNT_08],
  ] as const) {
    const address = getContractAddress({ opcode: "CREATE2", from: DEPLOYER, salt, bytecode: init });
    if (!isAddressEqual(address, expected)) throw new Error(`${name} would deploy at ${address}, not ${expected}: its artifact changed`);
    const hash = await wallet.sendTransaction({ to: DEPLOYER, data: concatHex([salt, init]), gas: 10_000_000n });
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success" || !(await client.getCode({ address }))) throw new Error(`deploying ${name} failed`);
  }
}

/** `@account-abstraction/contracts` 0.7.0, and 0.8.0 installed beside it under an npm alias. */
const V07 = "@account-abstraction/contracts";
const V08 = "account-abstraction-contracts-v08";

function artifact(release: string, name: string): { abi: readonly unknown[]; bytecode: Hex } {
  return JSON.parse(readFileSync(packageFile(release, `artifacts/${name}.json`), "utf8"));
}

/** A file inside an installed package (their `exports` maps hide the CLIs and artifacts from `require.resolve`). */
function packageFile(name: string, file: string): string {
  return path.join(here, "..", "node_modules", name, file);
}

function run(command: string, args: string[], output: Writable | undefined): ChildProcess {
  // In the caller's process group: Ctrl-C in a terminal reaches them too.
  const child = spawn(command, args, { stdio: ["ignore", output ? "pipe" : "ignore", output ? "pipe" : "ignore"] });
  child.stdout?.pipe(output!, { end: false });
  child.stderr?.pipe(output!, { end: false });
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  await exited;
}

async function rpc(url: string, method: string): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [] }),
  });
  const body = (await response.json()) as { result?: unknown; error?: unknown };
  if (body.error) throw new Error(JSON.stringify(body.error));
  return body.result;
}

/** Polls `probe` until it answers, for at most a minute; fails at once if the process exits. */
async function until(probe: () => Promise<unknown>, what: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before it answered`);
    try {
      await probe();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${what} did not answer within a minute`);
      await sleep(200);
    }
  }
}
