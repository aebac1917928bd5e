import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { KeyRing } from "../keyring";

const ALGORITHM = "aes-256-gcm";
const VERSION = "v1";
const IV_BYTES = 12;
/** GCM accepts shorter tags unless told otherwise; a forger would need far fewer tries against them. */
const TAG_BYTES = 16;

/**
 * Encrypts `plaintext` with the current key: `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url).
 * `associatedData` binds the ciphertext to its context (its row, its owner): decrypting it
 * under any other context fails, so a row copied elsewhere is useless.
 */
export function seal(plaintext: string, associatedData: string, ring: KeyRing<Buffer>): string {
  const key = ring.keys.get(ring.currentId)!;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [
    VERSION,
    ring.currentId,
    iv.toString("base64url"),
    ciphertext.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
  ].join(".");
}

/** Thrown when a sealed value cannot be opened: unknown key id, wrong context, or tampering. */
export class UnsealError extends Error {
  override name = "UnsealError";
}

/** The id of the key that sealed `sealed`, so callers can re-seal values still under a retired key. */
export function sealedKeyId(sealed: string): number {
  return Number(sealed.split(".")[1]);
}

export function unseal(sealed: string, associatedData: string, ring: KeyRing<Buffer>): string {
  const [version, keyId, iv, ciphertext, tag] = sealed.split(".");
  if (version !== VERSION || !keyId || !iv || ciphertext === undefined || !tag) throw new UnsealError("not a sealed value");
  const key = ring.keys.get(Number(keyId));
  if (!key) throw new UnsealError(`no data key with id ${keyId}`);
  const ivBytes = Buffer.from(iv, "base64url");
  const tagBytes = Buffer.from(tag, "base64url");
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new UnsealError("sealed value has a malformed IV or tag");
  try {
    const decipher = createDecipheriv(ALGORITHM, key, ivBytes, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(associatedData, "utf8"));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch (error) {
    throw new UnsealError("sealed value failed authentication", { cause: error });
  }
}
