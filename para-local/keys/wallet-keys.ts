// Single-party keys standing in for Para's two-party MPC wallets. Shared by the server worker,
// the browser worker and the API, so it must bundle for Node and the browser: no `node:` imports,
// no Buffer.
import { ed25519 } from "@noble/curves/ed25519.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { base58, bech32 } from "@scure/base";
import { publicKeyToAddress } from "viem/accounts";

export type KeyWalletType = "EVM" | "SOLANA" | "COSMOS";
export type KeyScheme = "DKLS" | "ED25519";

/** Marks a signer string as para-local's, so a real Para share (or garbage) fails loudly. */
export const SIGNER_FORMAT = "para-local-signer/1";

export interface LocalSigner {
  walletId: string;
  scheme: KeyScheme;
  privateKey: Uint8Array;
}

/** Para signs EVM and Cosmos with one secp256k1 scheme (DKLS), Solana with ED25519. */
export function schemeOf(type: KeyWalletType): KeyScheme {
  return type === "SOLANA" ? "ED25519" : "DKLS";
}

export function generatePrivateKey(scheme: KeyScheme): Uint8Array {
  return scheme === "ED25519" ? ed25519.utils.randomSecretKey() : secp256k1.utils.randomSecretKey();
}

/**
 * How long Para's signers are (JSON text): a DKLS (secp256k1) share is about 3.3 KB, an ed25519
 * one about 0.5 KB, worked out from the encrypted shares Para's examples once committed. Signers
 * ride in exported sessions, cookies, request bodies and stored rows, so limits are tested at
 * Para's scale only if para-local's are as long.
 */
export const SIGNER_LENGTH: Record<KeyScheme, number> = { DKLS: 3_300, ED25519: 500 };

/**
 * The `signer` string the SDK stores in `wallet.signer` and exports with the session:
 * JSON with a format marker, the wallet it belongs to, the scheme, the hex private key, and
 * random padding to Para's length. The SDK treats it as opaque text (JSON and base64 round trips keep it intact).
 */
export function encodeSigner({ walletId, scheme, privateKey }: LocalSigner): string {
  const fields = { format: SIGNER_FORMAT, walletId, scheme, privateKey: bytesToHex(privateKey) };
  const unpadded = JSON.stringify({ ...fields, padding: "" }).length;
  return JSON.stringify({ ...fields, padding: randomHex(Math.max(0, SIGNER_LENGTH[scheme] - unpadded)) });
}

/** `length` random hex digits: padding that compresses no better than a real share. */
function randomHex(length: number): string {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(Math.ceil(length / 2)))).slice(0, length);
}

export function decodeSigner(signer: unknown): LocalSigner {
  let parsed: unknown;
  try {
    parsed = typeof signer === "string" ? JSON.parse(signer) : undefined;
  } catch {
    // reported below
  }
  const fields = (parsed ?? {}) as Record<string, unknown>;
  const { format, walletId, scheme, privateKey } = fields;
  const validFields =
    typeof walletId === "string" &&
    (scheme === "DKLS" || scheme === "ED25519") &&
    typeof privateKey === "string" &&
    /^[0-9a-f]{64}$/i.test(privateKey);
  if (format !== SIGNER_FORMAT || !validFields) {
    throw new Error(`not a para-local signer (expected JSON with format "${SIGNER_FORMAT}"); was this share made by para-local?`);
  }
  const key = hexToBytes(privateKey);
  const valid = scheme === "ED25519" ? ed25519.utils.isValidSecretKey(key) : secp256k1.utils.isValidSecretKey(key);
  if (!valid) throw new Error("para-local signer holds an invalid private key");
  return { walletId, scheme, privateKey: key };
}

/**
 * `wallet.publicKey` as Para reports it: secp256k1 uncompressed, `0x04…` (what Para's docs show
 * and what viem's account `publicKey` and cosmjs's `compressPubkey` accept); ed25519 as `0x` + 32 bytes.
 */
export function publicKeyOf(scheme: KeyScheme, privateKey: Uint8Array): string {
  const bytes = scheme === "ED25519" ? ed25519.getPublicKey(privateKey) : secp256k1.getPublicKey(privateKey, false);
  return `0x${bytesToHex(bytes)}`;
}

/** Validates a reported public key (hex, with or without 0x; secp256k1 may be compressed) and returns the canonical form. */
export function normalizePublicKey(scheme: KeyScheme, publicKey: string): string {
  const hex = publicKey.startsWith("0x") ? publicKey.slice(2) : publicKey;
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length % 2 !== 0) throw new Error("publicKey must be hex");
  const bytes = hexToBytes(hex);
  if (scheme === "ED25519") {
    if (bytes.length !== 32 || !ed25519.utils.isValidPublicKey(bytes)) throw new Error("publicKey is not an ed25519 public key");
    return `0x${bytesToHex(bytes)}`;
  }
  if (!secp256k1.utils.isValidPublicKey(bytes)) throw new Error("publicKey is not a secp256k1 public key");
  return `0x${bytesToHex(secp256k1.Point.fromBytes(bytes).toBytes(false))}`;
}

function publicKeyBytes(publicKey: string): Uint8Array {
  return hexToBytes(publicKey.startsWith("0x") ? publicKey.slice(2) : publicKey);
}

/** The EIP-55 checksummed address of a secp256k1 key (compressed or not), as viem derives it. */
export function evmAddress(publicKey: string): string {
  return publicKeyToAddress(`0x${bytesToHex(secp256k1.Point.fromBytes(publicKeyBytes(publicKey)).toBytes(false))}`);
}

export function solanaAddress(publicKey: string): string {
  return base58.encode(publicKeyBytes(publicKey));
}

/** bech32(prefix, ripemd160(sha256(compressed key))), as the SDK's `getCosmosAddress` computes it. */
export function cosmosAddress(publicKey: string, prefix: string): string {
  const compressed = secp256k1.Point.fromBytes(publicKeyBytes(publicKey)).toBytes(true);
  return bech32.encode(prefix, bech32.toWords(ripemd160(sha256(compressed))));
}

/**
 * `wallet.address` as the API stores it. Every secp256k1 (DKLS) wallet carries its EVM address,
 * COSMOS-typed ones included: the SDK lets one DKLS wallet serve both EVM and COSMOS
 * (`WalletSchemeTypeMap`), viem's integration reads `wallet.address` as the EVM address, and
 * the SDK derives the bech32 address from `publicKey` itself (`getDisplayAddress`, cosmjs signers).
 */
export function walletAddress(type: KeyWalletType, publicKey: string): string {
  return type === "SOLANA" ? solanaAddress(publicKey) : evmAddress(publicKey);
}

/** The address a user sees for a wallet of `type`: what the SDK's `getDisplayAddress` returns. */
export function displayAddress(type: KeyWalletType, publicKey: string, cosmosPrefix: string): string {
  return type === "COSMOS" ? cosmosAddress(publicKey, cosmosPrefix) : walletAddress(type, publicKey);
}

/**
 * Signs a 32-byte digest with secp256k1 (low-s). Returns what Para's worker returns: hex without
 * 0x of r ‖ s ‖ recovery byte 00/01 (core-sdk's `hexToSignature` reads the last byte as a decimal
 * BigInt, so it must be 00 or 01, never 1b/1c).
 */
export function signDigest(privateKey: Uint8Array, digest: Uint8Array): string {
  if (digest.length !== 32) {
    throw new Error(
      `DKLS wallets sign a 32-byte hash, got ${digest.length} bytes: hash the message first (viem and cosmjs integrations do)`,
    );
  }
  let recovered = secp256k1.sign(digest, privateKey, { prehash: false, format: "recovered" });
  // cosmjs-v0-integration rebuilds the signature with ExtendedSecp256k1Signature, which throws
  // when r or s has a leading zero byte (about 1 signature in 128, with Para's real MPC too).
  // Any other valid signature will do, so sign again with a random nonce instead of failing.
  while (recovered[1] === 0 || recovered[33] === 0) {
    recovered = secp256k1.sign(digest, privateKey, { prehash: false, format: "recovered", extraEntropy: true });
  }
  // noble puts the recovery byte first; Para puts it last.
  return bytesToHex(recovered.subarray(1)) + bytesToHex(recovered.subarray(0, 1));
}

/** Signs the exact bytes with ed25519 (Solana signs the serialized message itself, unhashed). */
export function signEd25519(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  return ed25519.sign(message, privateKey);
}
