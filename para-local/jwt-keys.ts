import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from "jose";

/** One RS256 signing key of para-local's, kept as JWKs so it survives restarts with the rest of the state. */
export interface JwtKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
  createdAt: number;
}

/** The JWKS publishes the current key and the one before it, so tokens signed just before a rotation still verify. */
export const PUBLISHED_KEYS = 2;

export async function newJwtKey(now: number): Promise<JwtKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = `para-local-${randomUUID()}`;
  return {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: "RS256" },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" },
    createdAt: now,
  };
}

/** Signs `payload` as Para signs `issueJwt()` tokens: RS256, `kid` in the header. */
export async function signJwt(key: JwtKey, payload: JWTPayload): Promise<string> {
  const privateKey = await importJWK(key.privateJwk, "RS256");
  return new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" }).sign(privateKey);
}
