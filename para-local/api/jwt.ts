import { z } from "zod";
import { PUBLISHED_KEYS, signJwt } from "../jwt-keys.js";
import { oAuthMethodOf } from "../state.js";
import { factory, fail, jsonBody, requireAuthenticated } from "./context.js";
import { walletEntity } from "./wallet-entity.js";

// `issueJwt()` and the JWKS that verifies it: RS256 under para-local's current key (`/test/jwt/rotate` rotates it).

/** `GET /.well-known/jwks.json`: the current and the previous signing key. */
export const jwks = factory.createHandlers((c) => {
  return c.json({
    keys: c
      .get("store")
      .jwtKeys.slice(0, PUBLISHED_KEYS)
      .map((key) => key.publicJwk),
  });
});

/**
 * Claims as Para documents them: `data` {userId, wallets, email|phone, authType, identifier, and
 * `oAuthMethod` (google, x, apple, discord, facebook) when the session signed in with one},
 * `sub` = user id, `aud` = the session's partner (the app whose key started it), and an expiry at
 * the end of the session, which issuing extends (as any authenticated call does on Para).
 */
const issueBody = z.object({ keyIndex: z.literal(0, "keyIndex must be 0: para-local has one signing key").default(0) });

export const issueJwt = factory.createHandlers(jsonBody(issueBody), async (c) => {
  const store = c.get("store");
  const session = requireAuthenticated(c);
  const user = store.users.get(session.userId);
  if (!user) fail(401, "session expired or not signed in");
  store.extendSession(session);
  const key = store.jwtKeys[0]!;
  const wallets = store
    .walletsOf(user.id)
    .map(walletEntity)
    .filter((wallet) => wallet.keyGenComplete)
    .map(({ id, type, address, publicKey }) => ({ id, type, address, publicKey }));
  const oAuthMethod = oAuthMethodOf(session);
  const token = await signJwt(key, {
    data: {
      userId: user.id,
      wallets,
      [user.authType]: user.identifier,
      authType: user.authType,
      identifier: user.identifier,
      ...(oAuthMethod && { oAuthMethod }),
    },
    sub: user.id,
    aud: session.partnerId,
    // `iat` is wall-clock time, as verifiers read it (never in their future). `exp` is the session's
    // end on para-local's own clock: after `/test/clock` moves it forward, an app whose clock did not
    // move sees a keep-alive move the end by as much, as it would once that time had really passed.
    iat: Math.floor(Date.now() / 1000),
    exp: Math.floor(session.expiresAt / 1000),
  });
  return c.json({ token, keyId: key.kid });
});
