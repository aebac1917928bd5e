import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { toBase64, toHex } from "@cosmjs/encoding";
import { sha256 } from "@noble/hashes/sha2.js";
import { base58 } from "@scure/base";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { keccak256 } from "viem";

/** A JSON-RPC method's answer: a result, or an error object the client should see. */
type Answer = { result: unknown } | { error: { code: number; message: string } };

/** One JSON-RPC endpoint on a free loopback port that answers from `handlers` and records every call. */
export interface FakeRpc {
  url: string;
  calls: { method: string; params: unknown }[];
  close(): Promise<void>;
}

async function startJsonRpc(handle: (method: string, params: unknown) => Answer): Promise<FakeRpc> {
  const calls: FakeRpc["calls"] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const payload = JSON.parse(body) as
        { id: unknown; method: string; params: unknown } | { id: unknown; method: string; params: unknown }[];
      // ethers batches requests in arrays; viem, web3.js and cosmjs send one at a time.
      const answer = (one: { id: unknown; method: string; params: unknown }) => {
        calls.push({ method: one.method, params: one.params });
        return { jsonrpc: "2.0", id: one.id, ...handle(one.method, one.params) };
      };
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify(Array.isArray(payload) ? payload.map(answer) : answer(payload)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const hex = (value: bigint | number) => `0x${value.toString(16)}`;
const unknownMethod = (method: string): Answer => ({ error: { code: -32601, message: `fake RPC: no ${method}` } });

/** Sepolia as viem and ethers query it: nonce 7, base fee 3 gwei, tip 2 gwei; sending answers the transaction's hash. */
export function fakeSepolia(options: { refuseSend?: boolean } = {}) {
  return startJsonRpc((method, params) => {
    switch (method) {
      case "eth_chainId":
        return { result: hex(11155111) };
      case "eth_blockNumber":
        return { result: hex(1000) };
      case "eth_getTransactionCount":
        return { result: hex(7) };
      case "eth_gasPrice":
        return { result: hex(5_000_000_000) };
      case "eth_maxPriorityFeePerGas":
        return { result: hex(2_000_000_000) };
      case "eth_getBlockByNumber":
        return { result: LATEST_BLOCK };
      case "eth_sendRawTransaction":
        if (options.refuseSend) return { error: { code: -32000, message: "insufficient funds for gas * price + value" } };
        return { result: keccak256((params as [`0x${string}`])[0]) };
      default:
        return unknownMethod(method);
    }
  });
}

/** A block with every field ethers' formatter insists on. */
const LATEST_BLOCK = {
  number: hex(1000),
  hash: `0x${"11".repeat(32)}`,
  parentHash: `0x${"22".repeat(32)}`,
  nonce: "0x0000000000000000",
  difficulty: "0x0",
  gasLimit: hex(30_000_000),
  gasUsed: hex(0),
  miner: `0x${"00".repeat(20)}`,
  extraData: "0x",
  baseFeePerGas: hex(3_000_000_000),
  timestamp: hex(1_700_000_000),
  stateRoot: `0x${"33".repeat(32)}`,
  receiptsRoot: `0x${"44".repeat(32)}`,
  transactions: [],
};

export const FAKE_BLOCKHASH = "EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG";

/** Solana devnet as web3.js queries it: a fixed latest blockhash; sending answers the transaction's first signature. */
export function fakeSolanaDevnet() {
  return startJsonRpc((method, params) => {
    switch (method) {
      case "getLatestBlockhash":
        return { result: { context: { slot: 1 }, value: { blockhash: FAKE_BLOCKHASH, lastValidBlockHeight: 100 } } };
      case "sendTransaction": {
        // The answer is the transaction's id: its first signature (after a one-byte count), base58.
        const tx = Buffer.from((params as [string])[0], "base64");
        return { result: base58.encode(tx.subarray(1, 65)) };
      }
      default:
        return unknownMethod(method);
    }
  });
}

/** A CometBFT 0.38 node of the Cosmos Hub testnet as cosmjs queries it: `address` has account number 42, sequence 3. */
export function fakeCosmosTestnet(address: string) {
  return startJsonRpc((method, params) => {
    switch (method) {
      case "status":
        return { result: COMET_STATUS };
      case "abci_query": {
        const { path } = params as { path: string };
        if (path !== "/cosmos.auth.v1beta1.Query/Account") return { result: { response: { code: 1, log: `fake RPC: no ${path}` } } };
        const account = BaseAccount.encode({ address, accountNumber: 42n, sequence: 3n, pubKey: undefined }).finish();
        const value = QueryAccountResponse.encode({ account: { typeUrl: "/cosmos.auth.v1beta1.BaseAccount", value: account } }).finish();
        return {
          result: {
            response: {
              code: 0,
              log: "",
              info: "",
              index: "0",
              key: null,
              value: toBase64(value),
              proofOps: null,
              height: "1000",
              codespace: "",
            },
          },
        };
      }
      case "broadcast_tx_sync": {
        const tx = Buffer.from((params as { tx: string }).tx, "base64");
        return { result: { code: 0, data: "", log: "", codespace: "", hash: toHex(sha256(tx)).toUpperCase() } };
      }
      default:
        return unknownMethod(method);
    }
  });
}

const COMET_STATUS = {
  node_info: {
    protocol_version: { p2p: "8", block: "11", app: "0" },
    id: "aa".repeat(20),
    listen_addr: "tcp://0.0.0.0:26656",
    network: "provider",
    version: "0.38.17",
    channels: "40202122233038606100",
    moniker: "fake",
    other: { tx_index: "on", rpc_address: "tcp://0.0.0.0:26657" },
  },
  sync_info: {
    latest_block_hash: "BB".repeat(32),
    latest_app_hash: "CC".repeat(32),
    latest_block_height: "1000",
    latest_block_time: "2026-01-01T00:00:00.000000000Z",
    catching_up: false,
  },
  validator_info: {
    address: "DD".repeat(20),
    pub_key: { type: "tendermint/PubKeyEd25519", value: toBase64(new Uint8Array(32)) },
    voting_power: "0",
  },
};
