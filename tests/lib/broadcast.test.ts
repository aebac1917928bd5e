import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fromBase64 } from "@cosmjs/encoding";
import { decodeTxRaw } from "@cosmjs/proto-signing";
import { Transaction } from "@solana/web3.js";
import { keccak256, parseTransaction, type TransactionSerialized } from "viem";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, resetConfigCache } from "../../lib/config";
import { importedParaServer, type MintedSession, mintSession, quietSdkLogs, walletOf } from "../../para-local/testing";
import type { ParaServer } from "../../lib/para/server";
import { cosmjsRecipe } from "../../lib/signing/cosmjs";
import { ethersRecipe } from "../../lib/signing/ethers";
import { solanaRecipe } from "../../lib/signing/solana";
import type { IntegrationPara, Recipe, SignedTransaction } from "../../lib/signing/types";
import { viemRecipe } from "../../lib/signing/viem";
import { paraLocalForThisFile } from "../../para-local/testing/vitest";
import { FAKE_BLOCKHASH, type FakeRpc, fakeCosmosTestnet, fakeSepolia, fakeSolanaDevnet } from "./fake-rpcs";

quietSdkLogs();
paraLocalForThisFile();

/**
 * The broadcast half of the recipes, against fake RPC endpoints on loopback (the route tests run
 * with none set): live chain values are read, the transaction is sent as signed, and RPC trouble
 * is reported in the answer without its URL.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), "para-lib-broadcast-"));
const VARIABLES = ["SEPOLIA_RPC_URL", "SOLANA_DEVNET_RPC_URL", "COSMOS_TESTNET_RPC_URL"] as const;
let minted: MintedSession;
let para: ParaServer;
const rpcs: FakeRpc[] = [];

beforeAll(async () => {
  Object.assign(process.env, { PARA_API_KEY: "", PARA_DATA_DIR: dataDir, DATA_ENCRYPTION_KEY: randomBytes(32).toString("base64") });
  minted = await mintSession();
  para = await importedParaServer(minted);
});
afterEach(async () => {
  for (const name of VARIABLES) delete process.env[name];
  resetConfigCache();
  await Promise.all(rpcs.splice(0).map((rpc) => rpc.close()));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The RPC URLs are part of the configuration, read once: set one and read the configuration again. */
function setVariable(variable: (typeof VARIABLES)[number], value: string): void {
  process.env[variable] = value;
  resetConfigCache();
}

async function withRpc(variable: (typeof VARIABLES)[number], start: Promise<FakeRpc>): Promise<FakeRpc> {
  const rpc = await start;
  rpcs.push(rpc);
  setVariable(variable, rpc.url);
  return rpc;
}

const signWith = (recipe: Recipe, type: "EVM" | "SOLANA" | "COSMOS"): Promise<SignedTransaction> => {
  const wallet = walletOf(minted, type);
  return recipe.signTransaction(para as unknown as IntegrationPara, { id: wallet.id, address: wallet.address });
};

describe.each([viemRecipe, ethersRecipe])("$library on Sepolia", (recipe) => {
  it("reads the nonce and fees from the RPC and sends the transaction as signed", async () => {
    const rpc = await withRpc("SEPOLIA_RPC_URL", fakeSepolia());
    const result = await signWith(recipe, "EVM");
    const transaction = parseTransaction(result.signedTransaction as TransactionSerialized<"eip1559">);
    expect(transaction.nonce).toBe(7);
    expect(transaction.maxPriorityFeePerGas).toBeGreaterThanOrEqual(1_000_000_000n);
    expect(transaction.maxFeePerGas).toBeGreaterThanOrEqual(3_000_000_000n);
    const sent = rpc.calls.filter((call) => call.method === "eth_sendRawTransaction");
    expect(sent.map((call) => (call.params as string[])[0])).toEqual([result.signedTransaction]);
    expect(result.broadcast).toEqual({ status: "sent", transactionId: keccak256(result.signedTransaction as `0x${string}`) });
  });

  it("reports a refused transaction without passing the RPC's words or URL on", async () => {
    const rpc = await withRpc("SEPOLIA_RPC_URL", fakeSepolia({ refuseSend: true }));
    const result = await signWith(recipe, "EVM");
    expect(result.broadcast.status).toBe("failed");
    const text = JSON.stringify(result);
    expect(text).not.toContain(rpc.url);
    expect(text).not.toContain("insufficient funds");
  });

  it("signs with demo values and reports it when the RPC cannot be reached", async () => {
    setVariable("SEPOLIA_RPC_URL", "http://127.0.0.1:9/secret-key-in-path");
    const result = await signWith(recipe, "EVM");
    expect(parseTransaction(result.signedTransaction as TransactionSerialized<"eip1559">).nonce).toBe(0);
    expect(result.broadcast.status).toBe("failed");
    expect(JSON.stringify(result)).not.toContain("secret-key-in-path");
  });
});

describe("solana on devnet", () => {
  it("uses the RPC's latest blockhash and sends the transaction as signed", async () => {
    const rpc = await withRpc("SOLANA_DEVNET_RPC_URL", fakeSolanaDevnet());
    const result = await signWith(solanaRecipe, "SOLANA");
    const transaction = Transaction.from(Buffer.from(result.signedTransaction, "base64"));
    expect(transaction.recentBlockhash).toBe(FAKE_BLOCKHASH);
    const sent = rpc.calls.filter((call) => call.method === "sendTransaction");
    expect(sent.map((call) => (call.params as string[])[0])).toEqual([result.signedTransaction]);
    expect(result.broadcast).toMatchObject({ status: "sent" });
  });
});

describe("cosmjs on the Cosmos Hub testnet", () => {
  it("reads the account number and sequence from the node and sends the transaction as signed", async () => {
    const address = walletOf(minted, "COSMOS").address;
    const rpc = await withRpc("COSMOS_TESTNET_RPC_URL", fakeCosmosTestnet(address));
    const result = await signWith(cosmjsRecipe, "COSMOS");
    const transaction = decodeTxRaw(fromBase64(result.signedTransaction));
    expect(transaction.authInfo.signerInfos[0]!.sequence).toBe(3n);
    const sent = rpc.calls.filter((call) => call.method === "broadcast_tx_sync");
    expect(sent.map((call) => (call.params as { tx: string }).tx)).toEqual([result.signedTransaction]);
    expect(result.broadcast).toMatchObject({ status: "sent", transactionId: expect.stringMatching(/^[0-9A-F]{64}$/) });
  });
});

describe("a malformed RPC URL", () => {
  it("is a configuration error naming the variable, before anything is signed", async () => {
    setVariable("SOLANA_DEVNET_RPC_URL", "not a url");
    await expect(signWith(solanaRecipe, "SOLANA")).rejects.toThrow(/SOLANA_DEVNET_RPC_URL must be an http\(s\) URL/);
    setVariable("SOLANA_DEVNET_RPC_URL", "ftp://devnet.example");
    await expect(signWith(solanaRecipe, "SOLANA")).rejects.toThrow(ConfigError);
  });
});
