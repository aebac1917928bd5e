import "server-only";
import { type Chain, createPublicClient, type Hash, http } from "viem";
import { hardhat, sepolia } from "viem/chains";
import { getConfig, type RpcUrlVariable } from "../config";
import { LOCAL_CHAIN_ID } from "./local-chain-contracts";
import type { Broadcast, NetworkView } from "./types";

/** A test network a recipe's transaction is for, and the variable that holds its RPC URL. */
export interface TestNetwork extends NetworkView {
  rpcUrlVariable: RpcUrlVariable;
}

export const SEPOLIA: TestNetwork = { name: "Ethereum Sepolia", chainId: "11155111", rpcUrlVariable: "SEPOLIA_RPC_URL" };
/** `npm run chain`'s Hardhat Network: transactions are mined at once, so answers say they were included. */
export const LOCAL_CHAIN: TestNetwork = {
  name: "Local chain (npm run chain)",
  chainId: String(LOCAL_CHAIN_ID),
  rpcUrlVariable: "LOCAL_CHAIN_RPC_URL",
};
export const SOLANA_DEVNET: TestNetwork = { name: "Solana devnet", chainId: "devnet", rpcUrlVariable: "SOLANA_DEVNET_RPC_URL" };
/** The Cosmos Hub's public testnet. Addresses use the `cosmos` prefix whatever the partner's display prefix is. */
export const COSMOS_TESTNET: TestNetwork & { prefix: string; denom: string } = {
  name: "Cosmos Hub testnet",
  chainId: "provider",
  rpcUrlVariable: "COSMOS_TESTNET_RPC_URL",
  prefix: "cosmos",
  denom: "uatom",
};

/** Where the EVM recipes send: the local chain when LOCAL_CHAIN_RPC_URL is set, Sepolia otherwise. */
export function evmNetwork(): TestNetwork {
  return rpcUrlFor(LOCAL_CHAIN) ? LOCAL_CHAIN : SEPOLIA;
}

/** viem's chain for an EVM test network. */
export function viemChainOf(network: TestNetwork): Chain {
  return network === LOCAL_CHAIN ? hardhat : sepolia;
}

/** The network as answers show it (no variable names). */
export const networkView = ({ name, chainId }: TestNetwork): NetworkView => ({ name, chainId });

/** The network's RPC URL (validated with the configuration), or undefined when none is configured: nothing is then sent anywhere. */
export function rpcUrlFor(network: TestNetwork): string | undefined {
  return getConfig().rpcUrls[network.rpcUrlVariable];
}

/**
 * The live values a transaction needs (nonce, fees, blockhash, account number) from the RPC when
 * one is configured; the fixed demo values otherwise, or when the RPC cannot answer (the
 * transaction is then signed anyway, and not sent). Errors from the RPC are not passed on:
 * they can carry its URL, which often holds an API key.
 */
export async function chainValues<T>(network: TestNetwork, demo: T, read: (rpcUrl: string) => Promise<T>): Promise<ChainValues<T>> {
  const rpcUrl = rpcUrlFor(network);
  if (!rpcUrl)
    return {
      values: demo,
      broadcast: { status: "not_broadcast", message: `Not broadcast: set ${network.rpcUrlVariable} to send it to ${network.name}.` },
    };
  try {
    return { values: await read(rpcUrl), rpcUrl };
  } catch {
    return {
      values: demo,
      broadcast: {
        status: "failed",
        message: `Not broadcast: could not read the account from ${network.name}'s RPC, so the transaction carries demo values.`,
      },
    };
  }
}

export interface ChainValues<T> {
  values: T;
  /** Set when the transaction can be sent. */
  rpcUrl?: string;
  /** Set when it will not be: why. */
  broadcast?: Broadcast;
}

/**
 * Sends the signed transaction when the chain values came from a live RPC. On the local chain,
 * which mines each transaction at once, it waits for the receipt and says whether it was included.
 */
export async function broadcastSigned<T>(
  network: TestNetwork,
  chain: ChainValues<T>,
  send: (rpcUrl: string) => Promise<string>,
): Promise<Broadcast> {
  if (!chain.rpcUrl) return chain.broadcast ?? { status: "not_broadcast", message: "Not broadcast." };
  let transactionId: string;
  try {
    transactionId = await send(chain.rpcUrl);
  } catch {
    return { status: "failed", message: `${network.name}'s RPC refused the transaction (is the wallet funded there?).` };
  }
  if (network !== LOCAL_CHAIN) return { status: "sent", transactionId };
  return inclusionOf(network, chain.rpcUrl, transactionId as Hash);
}

/** Waits (briefly: the local chain mines at once) for the receipt of `hash`. */
export async function inclusionOf(network: TestNetwork, rpcUrl: string, hash: Hash): Promise<Broadcast> {
  try {
    const client = createPublicClient({ chain: viemChainOf(network), transport: http(rpcUrl) });
    const receipt = await client.waitForTransactionReceipt({ hash, timeout: 30_000 });
    if (receipt.status !== "success")
      return { status: "failed", message: `The transaction reverted on ${network.name}.`, transactionId: hash };
    return { status: "included", transactionId: hash, blockNumber: receipt.blockNumber.toString() };
  } catch {
    return { status: "failed", message: `${network.name} did not report the transaction as included.`, transactionId: hash };
  }
}
