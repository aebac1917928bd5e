import { EncryptJWT, importJWK, type JWK } from "jose";

// The browser's half of the session's transport (the server's is lib/transport/open-session.ts):
// the exported session, encrypted to the server's public key as a JWT (RFC 7519, JWE RFC 7516).
// It has no server code in it: the app's pages, the tests and the bench use it alike.

export const TRANSPORT_ALG = "ECDH-ES+A256KW";
export const TRANSPORT_ENC = "A256GCM";
/** How long an encrypted session may travel: the server refuses one whose `exp` is later than this after its `iat`. */
export const TRANSPORT_MAX_AGE_SECONDS = 300;

/** What `GET /api/session/transport-key` answers: a JWKS, the key to encrypt to first. */
export interface TransportKeySet {
  keys: (JWK & { kid: string })[];
}

/**
 * `{session}` as an encrypted JWT to the server's current transport key: `alg` ECDH-ES+A256KW,
 * `enc` A256GCM, the key's `kid`; claims `iat`, `exp` (2 minutes on), a random `jti` (the server
 * takes each once) and `aud`, the app's origin.
 */
export async function encryptSession(session: string, keySet: TransportKeySet, audience: string): Promise<{ jwe: string; kid: string }> {
  const jwk = keySet.keys[0];
  if (!jwk) throw new Error("The server published no transport key.");
  const key = await importJWK(jwk, TRANSPORT_ALG);
  const jwe = await new EncryptJWT({ session })
    .setProtectedHeader({ alg: TRANSPORT_ALG, enc: TRANSPORT_ENC, kid: jwk.kid })
    .setIssuedAt()
    .setExpirationTime("2m")
    .setJti(crypto.randomUUID())
    .setAudience(audience)
    .encrypt(key);
  return { jwe, kid: jwk.kid };
}
