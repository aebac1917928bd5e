import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { type ApiEnv, fail, readJson, requireAuthenticated } from "./context.js";
import { walletEntity } from "./wallet-entity.js";

/** `issueJwt()` and the JWKS that verifies it: RS256, one key made in memory when para-local starts. */
export const jwtRoutes = new Hono<ApiEnv>();

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

const signingKey: Promise<SigningKey> = (async () => {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const kid = `para-local-${randomUUID()}`;
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
})();

jwtRoutes.get("/.well-known/jwks.json", async (c) => {
  return c.json({ keys: [(await signingKey).publicJwk] });
});

/**
 * Claims as Para documents them: `data` {userId, wallets, email|phone, authType, identifier},
 * `sub` = user id, `aud` = the partner, and an expiry at the end of the session, which issuing
 * extends (as any authenticated call does on Para).
 */
jwtRoutes.post("/auth/jwt", async (c) => {
  const store = c.get("store");
  const session = requireAuthenticated(c);
  const body = await readJson(c);
  const keyIndex = body.keyIndex ?? 0;
  // Body-less or form-encoded requests carry the index as text.
  if (keyIndex !== 0 && keyIndex !== "0") fail(400, "keyIndex must be 0: para-local has one signing key");
  const user = store.users.get(session.userId);
  if (!user) fail(401, "session expired or not signed in");
  store.extendSession(session);
  const key = await signingKey;
  const wallets = store
    .walletsOf(user.id)
    .map(walletEntity)
    .filter((wallet) => wallet.keyGenComplete)
    .map(({ id, type, address, publicKey }) => ({ id, type, address, publicKey }));
  const token = await new SignJWT({
    data: { userId: user.id, wallets, [user.authType]: user.identifier, authType: user.authType, identifier: user.identifier },
  })
    .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" })
    .setSubject(user.id)
    .setAudience(store.partner.id)
    .setIssuedAt(Math.floor(store.now() / 1000))
    .setExpirationTime(Math.floor(session.expiresAt / 1000))
    .sign(key.privateKey);
  return c.json({ token, keyId: key.kid });
});
