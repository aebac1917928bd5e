// The hash an EVM transaction signature commits to, rebuilt from what Para's SDK sends.
// viem's Para integration serializes the transaction *with* a zero signature (r = s = 0x,
// v/yParity = 0) and passes `chainId` separately; signing that RLP as-is would commit to the
// wrong payload. RLP is viem's. Browser-safe: no `node:` imports.
import { concatBytes, fromRlp, keccak256, numberToBytes, toRlp } from "viem";

/** Fields of an unsigned typed transaction, by EIP-2718 type; the signed form adds yParity, r, s. */
const UNSIGNED_FIELDS: Record<number, number> = { 1: 8, 2: 9, 3: 11, 4: 10 };
const LEGACY_UNSIGNED_FIELDS = 6;

type RlpValue = ReturnType<typeof fromRlp<"bytes">>;

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
    return keccak256(concatBytes([Uint8Array.of(first), toRlp(items.slice(0, fields), "bytes")]), "bytes");
  }
  const items = decodeList(rlp);
  if (items.length === LEGACY_UNSIGNED_FIELDS) return keccak256(rlp, "bytes"); // pre-EIP-155
  if (items.length !== LEGACY_UNSIGNED_FIELDS + 3) throw new Error(`legacy transaction has ${items.length} fields, expected 6 or 9`);
  // EIP-155: sign [nonce, gasPrice, gas, to, value, data, chainId, 0, 0]. The v slot holds a
  // placeholder (viem writes chainId * 2 + 8 for its zero signature), so chainId must come with it.
  if (!chainId || !/^\d+$/.test(chainId) || BigInt(chainId) === 0n) {
    throw new Error("a legacy EIP-155 transaction needs its chainId");
  }
  const tail = [numberToBytes(BigInt(chainId)), new Uint8Array(), new Uint8Array()];
  return keccak256(toRlp([...items.slice(0, LEGACY_UNSIGNED_FIELDS), ...tail], "bytes"), "bytes");
}

/** The top-level fields of one RLP list that spans all of `bytes`. */
function decodeList(bytes: Uint8Array): RlpValue[] {
  let decoded: RlpValue;
  try {
    decoded = fromRlp(bytes, "bytes");
  } catch (error) {
    throw new Error(`transaction is not valid RLP (truncated?): ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(decoded)) throw new Error("transaction is not a single RLP list");
  return decoded;
}
