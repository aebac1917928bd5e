import {
  constants,
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  scryptSync,
  timingSafeEqual,
} from "node:crypto";

/**
 * The password credential's cryptography, byte-compatible with the SDK's
 * (`@getpara/core-sdk` `cryptography/utils.js`, node-forge):
 * - public keys travel as the hex of a PEM string;
 * - a message is AES-128-CBC encrypted with a random key and a fixed IV, and the key is
 *   RSA-OAEP (SHA-1) encrypted to the public key; the SDK hex-encodes the UTF-8 form of
 *   forge's binary string, so bytes above 0x7f take two bytes each.
 */

/** forge is handed this hex string as the IV and uses its first 16 characters as the bytes. */
const FORGE_IV = Buffer.from("794241bc819a125a7b78ea313decc0bc".slice(0, 16), "latin1");

export interface PasswordSecret {
  salt: string;
  hash: string;
  /** `sigDerivedPublicKey`: what the SDK encrypts the user's shares to. */
  publicKeyHex: string;
  /** The RSA private key (PEM), AES-256-GCM encrypted under a key derived from the password. */
  encryptedPrivateKey: string;
}

/** Sets a password: a fresh RSA key pair whose private half only the password opens. */
export function createPasswordSecret(password: string): PasswordSecret {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 65537 });
  const salt = randomBytes(16);
  const pem = privateKey.export({ type: "pkcs1", format: "pem" }) as string;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derive(password, salt, "key"), iv);
  const sealed = Buffer.concat([cipher.update(pem, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return {
    salt: salt.toString("hex"),
    hash: derive(password, salt, "check").toString("hex"),
    publicKeyHex: Buffer.from(publicKey.export({ type: "pkcs1", format: "pem" }) as string, "utf8").toString("hex"),
    encryptedPrivateKey: Buffer.concat([iv, sealed]).toString("base64"),
  };
}

/** The private key when the password is right, otherwise undefined. */
export function openPasswordSecret(secret: PasswordSecret, password: string): string | undefined {
  const salt = Buffer.from(secret.salt, "hex");
  const expected = Buffer.from(secret.hash, "hex");
  const actual = derive(password, salt, "check");
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
  const sealed = Buffer.from(secret.encryptedPrivateKey, "base64");
  const decipher = createDecipheriv("aes-256-gcm", derive(password, salt, "key"), sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]).toString("utf8");
}

/** `encryptWithDerivedPublicKey` of the SDK: what its `decryptWithPrivateKey` opens. */
export function encryptToPublicKey(publicKeyHex: string, message: string): { encryptedShare: string; encryptedKey: string } {
  const key = randomBytes(16);
  const cipher = createCipheriv("aes-128-cbc", key, FORGE_IV);
  const encryptedShare = Buffer.concat([cipher.update(message, "utf8"), cipher.final()]).toString("hex");
  const publicKey = createPublicKey(Buffer.from(publicKeyHex, "hex").toString("utf8"));
  const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" }, key);
  return { encryptedShare, encryptedKey: Buffer.from(wrapped.toString("latin1"), "utf8").toString("hex") };
}

/** The SDK's `decryptWithPrivateKey`, for shares it encrypted to a password's public key. */
export function decryptWithPrivateKey(privateKeyPem: string, encryptedShare: string, encryptedKey: string): string {
  const wrapped = Buffer.from(Buffer.from(encryptedKey, "hex").toString("utf8"), "latin1");
  const key = privateDecrypt(
    { key: createPrivateKey(privateKeyPem), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" },
    wrapped,
  );
  const decipher = createDecipheriv("aes-128-cbc", key, FORGE_IV);
  return Buffer.concat([decipher.update(Buffer.from(encryptedShare, "hex")), decipher.final()]).toString("utf8");
}

/** True when the hex string is a PEM public key Node can read (the device key of a login URL). */
export function isPublicKeyHex(value: string): boolean {
  if (!/^[0-9a-f]+$/i.test(value) || value.length % 2 !== 0) return false;
  try {
    createPublicKey(Buffer.from(value, "hex").toString("utf8"));
    return true;
  } catch {
    return false;
  }
}

function derive(password: string, salt: Buffer, purpose: "check" | "key"): Buffer {
  return scryptSync(`${purpose}:${password}`, salt, 32);
}
