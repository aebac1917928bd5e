import { makeSignDoc as makeAminoSignDoc, pubkeyToAddress, serializeSignDoc } from "@cosmjs/amino";
import { Secp256k1, Secp256k1Signature, sha256 } from "@cosmjs/crypto";
import { fromBase64 } from "@cosmjs/encoding";
import { makeSignBytes } from "@cosmjs/proto-signing";
import { ParaAminoSigner, ParaProtoSigner } from "@getpara/cosmjs-v0-integration";
import type { Para as ParaServer } from "@getpara/server-sdk";
import { ParaSolanaWeb3Signer } from "@getpara/solana-web3.js-v1-integration";
import { createParaAccount, createParaViemClient } from "@getpara/viem-v2-integration";
import { ed25519 } from "@noble/curves/ed25519.js";
import { Connection, Keypair, SystemProgram, Transaction } from "@solana/web3.js";
import {
  http,
  parseTransaction,
  recoverMessageAddress,
  recoverTransactionAddress,
  type TransactionSerializable,
  type TransactionSerialized,
} from "viem";
import { mainnet } from "viem/chains";
import { beforeAll, describe, expect, it } from "vitest";
import {
  forIntegrations,
  holdNextSignature,
  importedParaServer,
  type MintedSession,
  mintSession,
  quietSdkLogs,
  walletOf,
} from "../testing/index.js";

quietSdkLogs();

/** Nothing here reaches a chain: RPC URLs point at a closed port, transactions carry every field. */
const NO_RPC = "http://127.0.0.1:9";
const RECIPIENT = "0x000000000000000000000000000000000000dEaD";

let minted: MintedSession;
let para: ParaServer;

beforeAll(async () => {
  minted = await mintSession();
  para = await importedParaServer(minted);
});

describe("EVM through @getpara/viem-v2-integration", () => {
  it("signMessage recovers to the wallet's address", async () => {
    const client = createParaViemClient(forIntegrations(para), { chain: mainnet, transport: http(NO_RPC) });
    const account = client.account!;
    expect(account.address).toBe(walletOf(minted, "EVM").address);
    const signature = await client.signMessage({ account, message: "sign in to para-local" });
    expect(await recoverMessageAddress({ message: "sign in to para-local", signature })).toBe(account.address);
  });

  const transactions: Record<string, TransactionSerializable> = {
    "legacy (EIP-155)": { type: "legacy", chainId: 137, nonce: 3, gasPrice: 30_000_000_000n, gas: 21_000n, to: RECIPIENT, value: 1n },
    "EIP-2930": {
      type: "eip2930",
      chainId: 10,
      nonce: 0,
      gasPrice: 1_000_000n,
      gas: 50_000n,
      to: RECIPIENT,
      data: "0xdeadbeef",
      accessList: [{ address: RECIPIENT, storageKeys: [`0x${"00".repeat(31)}01`] }],
    },
    "EIP-1559": {
      type: "eip1559",
      chainId: 1,
      nonce: 7,
      maxFeePerGas: 2_000_000_000n,
      maxPriorityFeePerGas: 1_000_000n,
      gas: 21_000n,
      to: RECIPIENT,
      value: 10n ** 15n,
    },
  };

  it.each(Object.entries(transactions))("signTransaction (%s) recovers to the wallet as sender", async (_name, transaction) => {
    const account = createParaAccount(forIntegrations(para));
    const signed = (await account.signTransaction(transaction)) as TransactionSerialized;
    const parsed = parseTransaction(signed);
    expect(parsed.type).toBe(transaction.type);
    expect(parsed.chainId).toBe(transaction.chainId);
    expect(await recoverTransactionAddress({ serializedTransaction: signed })).toBe(walletOf(minted, "EVM").address);
  });
});

describe("Solana through @getpara/solana-web3.js-v1-integration", () => {
  it("ParaSolanaWeb3Signer signs a transaction that verifies with ed25519", async () => {
    const signer = new ParaSolanaWeb3Signer(forIntegrations(para), new Connection(NO_RPC));
    expect(signer.address).toBe(walletOf(minted, "SOLANA").address);
    const sender = signer.sender!;
    const transaction = new Transaction({ feePayer: sender, recentBlockhash: Keypair.generate().publicKey.toBase58() }).add(
      SystemProgram.transfer({ fromPubkey: sender, toPubkey: Keypair.generate().publicKey, lamports: 1 }),
    );
    const signed = await signer.signTransaction(transaction);
    expect(signed.verifySignatures()).toBe(true);
    const signature = signed.signatures[0]!.signature!;
    expect(ed25519.verify(signature, signed.serializeMessage(), sender.toBytes())).toBe(true);
  });
});

describe("Cosmos through @getpara/cosmjs-v0-integration", () => {
  it("ParaProtoSigner.signDirect verifies with secp256k1", async () => {
    const signer = new ParaProtoSigner(forIntegrations(para), "cosmos");
    const [account] = await signer.getAccounts();
    expect(account!.address).toBe(walletOf(minted, "COSMOS").address);
    const signDoc = {
      bodyBytes: Uint8Array.of(10, 2, 8, 1),
      authInfoBytes: Uint8Array.of(18, 0),
      chainId: "para-local-1",
      accountNumber: 7n,
    };
    const { signature } = await signer.signDirect(account!.address, signDoc);
    const valid = await Secp256k1.verifySignature(
      Secp256k1Signature.fromFixedLength(fromBase64(signature.signature)),
      sha256(makeSignBytes(signDoc)),
      account!.pubkey,
    );
    expect(valid).toBe(true);
  });

  it("ParaAminoSigner.signAmino verifies with secp256k1 and names the wallet's key", async () => {
    const signer = new ParaAminoSigner(forIntegrations(para), "cosmos");
    const [account] = await signer.getAccounts();
    const signDoc = makeAminoSignDoc(
      [
        {
          type: "cosmos-sdk/MsgSend",
          value: { from_address: account!.address, to_address: account!.address, amount: [{ denom: "uatom", amount: "1" }] },
        },
      ],
      { amount: [{ denom: "uatom", amount: "500" }], gas: "80000" },
      "para-local-1",
      "",
      7,
      0,
    );
    const { signature } = await signer.signAmino(account!.address, signDoc);
    expect(pubkeyToAddress(signature.pub_key, "cosmos")).toBe(walletOf(minted, "COSMOS").address);
    const valid = await Secp256k1.verifySignature(
      Secp256k1Signature.fromFixedLength(fromBase64(signature.signature)),
      sha256(serializeSignDoc(signDoc)),
      account!.pubkey,
    );
    expect(valid).toBe(true);
  });
});

describe("a signature held for approval (a Para policy or transaction review)", () => {
  it("answers pendingTransactionId: the server SDK cannot open the review and says so; the next signature is signed", async () => {
    const evm = walletOf(minted, "EVM");
    const account = createParaAccount(forIntegrations(para));
    await holdNextSignature(evm.id);
    await expect(account.signMessage({ message: "held" })).rejects.toThrow(/OpenPopup is not implemented/);
    const signature = await account.signMessage({ message: "not held" });
    expect(await recoverMessageAddress({ message: "not held", signature })).toBe(evm.address);
  });

  it("holds a transaction the same way, and a Solana signature", async () => {
    const account = createParaAccount(forIntegrations(para));
    await holdNextSignature(walletOf(minted, "EVM").id);
    const transaction = {
      type: "eip1559",
      chainId: 1,
      nonce: 0,
      maxFeePerGas: 2n,
      maxPriorityFeePerGas: 1n,
      gas: 21_000n,
      to: RECIPIENT,
    } as const;
    await expect(account.signTransaction(transaction)).rejects.toThrow(/OpenPopup is not implemented/);
    const signer = new ParaSolanaWeb3Signer(forIntegrations(para), new Connection(NO_RPC));
    await holdNextSignature(walletOf(minted, "SOLANA").id);
    await expect(signer.signBytes(Buffer.from("held"))).rejects.toThrow(/OpenPopup is not implemented/);
  });

  it("the control refuses a wallet para-local does not have", async () => {
    await expect(holdNextSignature("no-such-wallet")).rejects.toThrow(/404/);
  });
});
