// keys/wallet-keys.ts and keys/evm-transaction.ts against independent implementations (viem, cosmjs, solana web3.js).
import { pubkeyToAddress, encodeSecp256k1Pubkey } from "@cosmjs/amino";
import { Keypair } from "@solana/web3.js";
import { bytesToHex, hexToBytes, keccak256, recoverAddress, serializeTransaction, type TransactionSerializable } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { unsignedTransactionHash } from "../keys/evm-transaction.js";
import {
  cosmosAddress,
  decodeSigner,
  displayAddress,
  encodeSigner,
  generatePrivateKey,
  normalizePublicKey,
  publicKeyOf,
  signDigest,
  solanaAddress,
  walletAddress,
} from "../keys/wallet-keys.js";

describe("keys", () => {
  it("derives the EVM address viem derives, checksummed", () => {
    const privateKey = generatePrivateKey("DKLS");
    const publicKey = publicKeyOf("DKLS", privateKey);
    const account = privateKeyToAccount(bytesToHex(privateKey));
    expect(publicKey).toBe(account.publicKey);
    expect(walletAddress("EVM", publicKey)).toBe(account.address);
    // A DKLS wallet carries its EVM address whatever its type; Cosmos shows bech32.
    expect(walletAddress("COSMOS", publicKey)).toBe(account.address);
    expect(displayAddress("COSMOS", publicKey, "osmo")).toBe(cosmosAddress(publicKey, "osmo"));
  });

  it("derives the Cosmos address cosmjs derives, with the partner's prefix", () => {
    const publicKey = publicKeyOf("DKLS", generatePrivateKey("DKLS"));
    const compressed = hexToBytes(normalizePublicKey("DKLS", publicKey) as `0x${string}`);
    const cosmjsKey = encodeSecp256k1Pubkey(compressPoint(compressed));
    expect(cosmosAddress(publicKey, "cosmos")).toBe(pubkeyToAddress(cosmjsKey, "cosmos"));
    expect(cosmosAddress(publicKey, "osmo")).toBe(pubkeyToAddress(cosmjsKey, "osmo"));
  });

  it("derives the Solana address web3.js derives from the same seed", () => {
    const privateKey = generatePrivateKey("ED25519");
    const publicKey = publicKeyOf("ED25519", privateKey);
    expect(solanaAddress(publicKey)).toBe(Keypair.fromSeed(privateKey).publicKey.toBase58());
  });

  it("round-trips the signer string and rejects anything else", () => {
    const privateKey = generatePrivateKey("ED25519");
    const decoded = decodeSigner(encodeSigner({ walletId: "w1", scheme: "ED25519", privateKey }));
    expect(decoded).toEqual({ walletId: "w1", scheme: "ED25519", privateKey });
    for (const bad of [
      undefined,
      "",
      "{}",
      "not json",
      '{"format":"para-local-signer/1","walletId":"w","scheme":"DKLS","privateKey":"00"}',
      '{"format":"para-local-signer/1","walletId":"w","scheme":"DKLS","privateKey":"zz"}',
    ]) {
      expect(() => decodeSigner(bad)).toThrow(/para-local signer/);
    }
    // 32 bytes, but zero is not a secp256k1 key.
    expect(() =>
      decodeSigner(JSON.stringify({ format: "para-local-signer/1", walletId: "w", scheme: "DKLS", privateKey: "00".repeat(32) })),
    ).toThrow(/invalid private key/);
  });

  it("signs digests as r‖s‖v with v 00/01 and no leading zero bytes in r or s", () => {
    const privateKey = generatePrivateKey("DKLS");
    const account = privateKeyToAccount(bytesToHex(privateKey));
    for (let i = 0; i < 300; i++) {
      const digest = keccak256(new TextEncoder().encode(`message ${i}`), "bytes");
      const signature = signDigest(privateKey, digest);
      expect(signature).toMatch(/^(?!00)[0-9a-f]{64}(?!00)[0-9a-f]{64}0[01]$/);
    }
    const digest = keccak256("0x01", "bytes");
    return expect(recoverAddress({ hash: digest, signature: `0x${signDigest(privateKey, digest)}` })).resolves.toBe(account.address);
  });

  it("refuses to sign anything but a 32-byte digest", () => {
    expect(() => signDigest(generatePrivateKey("DKLS"), new Uint8Array(31))).toThrow(/32-byte hash/);
  });
});

describe("unsignedTransactionHash", () => {
  const zeroSignature = { r: "0x", s: "0x", v: 0n } as const;
  const base = { nonce: 1, gas: 21_000n, to: "0x000000000000000000000000000000000000dEaD", value: 5n } as const;
  const cases: Record<string, TransactionSerializable> = {
    legacy: { ...base, type: "legacy", chainId: 56, gasPrice: 5n },
    eip2930: { ...base, type: "eip2930", chainId: 1, gasPrice: 5n, accessList: [{ address: base.to, storageKeys: [] }] },
    eip1559: { ...base, type: "eip1559", chainId: 8453, maxFeePerGas: 9n, maxPriorityFeePerGas: 1n, data: "0x1234" },
    eip7702: {
      ...base,
      type: "eip7702",
      chainId: 1,
      maxFeePerGas: 9n,
      maxPriorityFeePerGas: 1n,
      authorizationList: [{ address: base.to, chainId: 1, nonce: 0, r: `0x${"11".repeat(32)}`, s: `0x${"22".repeat(32)}`, yParity: 1 }],
    },
  };

  it.each(Object.entries(cases))("%s: the viem integration's zero-signature RLP hashes to the unsigned payload's hash", (_name, tx) => {
    const sent = hexToBytes(serializeTransaction(tx, zeroSignature));
    expect(bytesToHex(unsignedTransactionHash(sent, String(tx.chainId)))).toBe(keccak256(serializeTransaction(tx)));
    // An already-unsigned payload hashes the same.
    expect(bytesToHex(unsignedTransactionHash(hexToBytes(serializeTransaction(tx)), String(tx.chainId)))).toBe(
      keccak256(serializeTransaction(tx)),
    );
  });

  it("needs the chainId for a legacy EIP-155 transaction, and rejects garbage", () => {
    const sent = hexToBytes(serializeTransaction(cases.legacy!, zeroSignature));
    expect(() => unsignedTransactionHash(sent)).toThrow(/chainId/);
    expect(() => unsignedTransactionHash(new Uint8Array())).toThrow(/empty/);
    expect(() => unsignedTransactionHash(Uint8Array.of(0x02, 0xc5, 0x01))).toThrow(/truncated/);
    expect(() => unsignedTransactionHash(Uint8Array.of(0x09, 0xc0))).toThrow(/not supported/);
  });
});

/** secp256k1 compressed form of an uncompressed `04 ‖ x ‖ y` key (cosmjs wants 33 bytes). */
function compressPoint(uncompressed: Uint8Array): Uint8Array {
  const x = uncompressed.slice(1, 33);
  const yIsOdd = (uncompressed[64]! & 1) === 1;
  return Uint8Array.of(yIsOdd ? 3 : 2, ...x);
}
