// The hash an EVM transaction signature commits to, rebuilt from what Para's SDK sends.
// viem's Para integration serializes the transaction *with* a zero signature (r = s = 0x,
// v/yParity = 0) and passes `chainId` separately; signing that RLP as-is would commit to the
// wrong payload. Browser-safe: no `node:` imports.
import { keccak_256 } from "@noble/hashes/sha3.js";

/** Fields of an unsigned typed transaction, by EIP-2718 type; the signed form adds yParity, r, s. */
const UNSIGNED_FIELDS: Record<number, number> = { 1: 8, 2: 9, 3: 11, 4: 10 };
const LEGACY_UNSIGNED_FIELDS = 6;

interface RlpItem {
  /** The item's full encoding (header and payload). */
  raw: Uint8Array;
  payload: Uint8Array;
  isList: boolean;
}

/** keccak256 of the unsigned transaction payload for `rlp` (typed or legacy). */
export function unsignedTransactionHash(rlp: Uint8Array, chainId?: string): Uint8Array {
  const first = rlp[0];
  if (first === undefined) throw new Error("transaction is empty");
  if (first <= 0x7f) {
    const fields = UNSIGNED_FIELDS[first];
    if (fields === undefined) throw new Error(`transaction type 0x${first.toString(16)} is not supported`);
    const items = decodeList(rlp.subarray(1));
    if (items.length !== fields && items.length !== fields + 3) {
      throw new Error(`type ${first} transaction has ${items.length} fields, expected ${fields} (unsigned) or ${fields + 3} (signed)`);
    }
    return keccak_256(concat([Uint8Array.of(first), encodeList(items.slice(0, fields).map((item) => item.raw))]));
  }
  const items = decodeList(rlp);
  if (items.length === LEGACY_UNSIGNED_FIELDS) return keccak_256(rlp); // pre-EIP-155
  if (items.length !== LEGACY_UNSIGNED_FIELDS + 3) throw new Error(`legacy transaction has ${items.length} fields, expected 6 or 9`);
  // EIP-155: sign [nonce, gasPrice, gas, to, value, data, chainId, 0, 0]. The v slot holds a
  // placeholder (viem writes chainId * 2 + 8 for its zero signature), so chainId must come with it.
  if (!chainId || !/^\d+$/.test(chainId) || BigInt(chainId) === 0n) {
    throw new Error("a legacy EIP-155 transaction needs its chainId");
  }
  const tail = [encodeBytes(bigintToBytes(BigInt(chainId))), encodeBytes(new Uint8Array()), encodeBytes(new Uint8Array())];
  return keccak_256(encodeList([...items.slice(0, LEGACY_UNSIGNED_FIELDS).map((item) => item.raw), ...tail]));
}

function decodeList(bytes: Uint8Array): RlpItem[] {
  const list = readItem(bytes, 0);
  if (!list.isList || list.raw.length !== bytes.length) throw new Error("transaction is not a single RLP list");
  const items: RlpItem[] = [];
  for (let offset = 0; offset < list.payload.length;) {
    const item = readItem(list.payload, offset);
    items.push(item);
    offset += item.raw.length;
  }
  return items;
}

function readItem(bytes: Uint8Array, offset: number): RlpItem {
  const prefix = bytes[offset];
  if (prefix === undefined) throw new Error("truncated RLP");
  let headerLength = 1;
  let payloadLength: number;
  const isList = prefix >= 0xc0;
  const base = isList ? 0xc0 : 0x80;
  if (prefix < 0x80) {
    headerLength = 0;
    payloadLength = 1;
  } else if (prefix - base <= 55) {
    payloadLength = prefix - base;
  } else {
    const lengthOfLength = prefix - base - 55;
    headerLength += lengthOfLength;
    payloadLength = 0;
    for (let i = 1; i <= lengthOfLength; i++) {
      const byte = bytes[offset + i];
      if (byte === undefined) throw new Error("truncated RLP");
      payloadLength = payloadLength * 256 + byte;
    }
  }
  const end = offset + headerLength + payloadLength;
  if (end > bytes.length) throw new Error("truncated RLP");
  return { raw: bytes.subarray(offset, end), payload: bytes.subarray(offset + headerLength, end), isList };
}

function encodeBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.length === 1 && bytes[0]! < 0x80) return bytes;
  return concat([header(0x80, bytes.length), bytes]);
}

function encodeList(rawItems: Uint8Array[]): Uint8Array {
  const payload = concat(rawItems);
  return concat([header(0xc0, payload.length), payload]);
}

function header(base: number, length: number): Uint8Array {
  if (length <= 55) return Uint8Array.of(base + length);
  const lengthBytes = bigintToBytes(BigInt(length));
  return concat([Uint8Array.of(base + 55 + lengthBytes.length), lengthBytes]);
}

/** Minimal big-endian bytes (0 → empty), as RLP encodes integers. */
function bigintToBytes(value: bigint): Uint8Array {
  const hex = value === 0n ? "" : value.toString(16);
  const padded = hex.length % 2 ? `0${hex}` : hex;
  const bytes = new Uint8Array(padded.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(padded.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
