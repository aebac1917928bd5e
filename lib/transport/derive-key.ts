import { createECDH, createPrivateKey, hkdfSync, type KeyObject } from "node:crypto";
import { calculateJwkThumbprint, type JWK } from "jose";
import { TRANSPORT_ALG } from "./encrypt-session";

/** One transport key pair: its public JWK (with `kid`) and the private key that never leaves the server. */
export interface TransportKey {
  kid: string;
  publicJwk: JWK & { kid: string };
  privateKey: KeyObject;
}

/** Sets the derivation apart from every other use of the data key. */
const HKDF_INFO = "para-server-sessions/session-transport/P-256/v1";

/**
 * The P-256 transport key pair of one data key, with HKDF-SHA256: the same on every instance that
 * has the key, and independent of the key's other use (sealing rows). Its `kid` is the public
 * key's RFC 7638 thumbprint.
 */
export async function deriveTransportKey(secret: Buffer): Promise<TransportKey> {
  // A P-256 private key is a number from 1 to the curve's order less one: about one HKDF output in
  // 2^32 is not. Take the next one then.
  for (let counter = 0; ; counter++) {
    const scalar = Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), `${HKDF_INFO}/${counter}`, 32));
    const ecdh = createECDH("prime256v1");
    try {
      ecdh.setPrivateKey(scalar);
    } catch (error) {
      if (counter < 8 && error instanceof Error && /private key/i.test(error.message)) continue;
      throw error;
    }
    const point = ecdh.getPublicKey();
    const publicPart = {
      kty: "EC",
      crv: "P-256",
      x: point.subarray(1, 33).toString("base64url"),
      y: point.subarray(33).toString("base64url"),
    };
    const kid = await calculateJwkThumbprint(publicPart);
    const privateKey = createPrivateKey({ key: { ...publicPart, d: scalar.toString("base64url") }, format: "jwk" });
    return { kid, publicJwk: { ...publicPart, kid, use: "enc", alg: TRANSPORT_ALG }, privateKey };
  }
}
