import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { newJwtKey, PUBLISHED_KEYS, signJwt } from "../jwt-keys.js";
import { type AuthType, cookieKey, type Store, type User, type WalletType } from "../state.js";
import { displayAddress, encodeSigner, generatePrivateKey, publicKeyOf, walletAddress } from "../workers/keys.js";
import { type ApiEnv, fail, readJson } from "./context.js";
import { requireScheme, walletEntity } from "./wallet-entity.js";

/** `/test/*`: controls for test suites and fixtures, mounted only when para-local runs with `--test`. */
export const testControlRoutes = new Hono<ApiEnv>();

const DAY_MS = 24 * 60 * 60 * 1000;

testControlRoutes.post("/reset", (c) => {
  c.get("store").reset();
  return c.json({ ok: true });
});

/** Rotates the JWT signing key: new tokens carry a new `kid`; the JWKS publishes it beside the previous one. */
testControlRoutes.post("/jwt/rotate", async (c) => {
  const store = c.get("store");
  store.jwtKeys = [await newJwtKey(store.now()), ...store.jwtKeys].slice(0, PUBLISHED_KEYS);
  return c.json({ kid: store.jwtKeys[0]!.kid });
});

/** Signs any payload with the current JWT key, so tests can make tokens Para would never issue (wrong aud, expired). */
testControlRoutes.post("/jwt/sign", async (c) => {
  const { payload } = await readJson(c);
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) fail(400, "payload must be a JSON object of claims");
  const key = c.get("store").jwtKeys[0]!;
  return c.json({ token: await signJwt(key, payload as Record<string, unknown>), keyId: key.kid });
});

testControlRoutes.post("/session-length", async (c) => {
  const ms = requireMs((await readJson(c)).ms, "ms", 1, 30 * DAY_MS);
  c.get("store").sessionLengthMs = ms;
  return c.json({ ms });
});

testControlRoutes.post("/clock", async (c) => {
  const store = c.get("store");
  store.clockOffsetMs += requireMs((await readJson(c)).advanceMs, "advanceMs", 0, 365 * DAY_MS);
  return c.json({ now: new Date(store.now()).toISOString(), offsetMs: store.clockOffsetMs });
});

testControlRoutes.post("/sessions/expire", async (c) => {
  const store = c.get("store");
  const { userId, sessionCookie } = await readJson(c);
  if ((userId === undefined) === (sessionCookie === undefined)) fail(400, "send exactly one of userId or sessionCookie");
  if (sessionCookie !== undefined) {
    if (typeof sessionCookie !== "string" || !store.sessions.delete(cookieKey(sessionCookie))) fail(404, "no such session");
    return c.json({ expired: 1 });
  }
  if (typeof userId !== "string" || !store.users.has(userId)) fail(404, "no such user");
  let expired = 0;
  for (const [cookie, session] of store.sessions) {
    if (session.userId === userId && store.sessions.delete(cookie)) expired++;
  }
  return c.json({ expired });
});

/** The next `count` (default 1) `/touch` answers for the user's live sessions say "not signed in": Para's reported false negative. */
testControlRoutes.post("/sessions/false-negative", async (c) => {
  const store = c.get("store");
  const { userId, count = 1 } = await readJson(c);
  if (typeof userId !== "string" || !store.users.has(userId)) fail(404, "no such user");
  if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 1 || count > 10) fail(400, "count must be 1 to 10");
  store.falseNegatives.set(userId, count);
  return c.json({ userId, count });
});

/** The next `count` (default 1) signature requests answer 503; the signing worker retries them, as Para's does. */
testControlRoutes.post("/signatures/fail", async (c) => {
  const { count = 1 } = await readJson(c);
  if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 1 || count > 2)
    fail(400, "count must be 1 or 2 (the worker retries twice)");
  c.get("store").failNextSignatures = count;
  return c.json({ count });
});

/** Mints a signed-in user with one wallet per partner wallet type, and the session the browser would export. */
testControlRoutes.post("/sessions", async (c) => {
  const store = c.get("store");
  const { authType, identifier } = requireIdentity(await readJson(c));
  if (store.findUserByIdentifier(authType, identifier)) fail(409, `a user with ${authType} ${identifier} already exists`);
  const user = store.createUser(authType, identifier);
  user.verified = true;
  user.passwordSet = true;
  const session = store.createSession(user.id);
  session.authenticated = true;
  const wallets = store.partner.supportedWalletTypes.map(({ type }) => mintWallet(store, user, type));
  session.currentWalletIds = Object.fromEntries(wallets.map(({ wallet }) => [wallet.type, [wallet.id]]));
  return c.json({
    userId: user.id,
    authType,
    identifier,
    sessionCookie: store.cookieHeader(session),
    session: exportedSession(user, store.cookieHeader(session), session.currentWalletIds, wallets),
    wallets: wallets.map(({ wallet, publicKey }) => ({
      id: wallet.id,
      type: wallet.type,
      address: displayAddress(wallet.type, publicKey, store.partner.cosmosPrefix),
    })),
  });
});

function mintWallet(store: Store, user: User, type: WalletType) {
  const scheme = requireScheme(type, undefined);
  const privateKey = generatePrivateKey(scheme);
  const publicKey = publicKeyOf(scheme, privateKey);
  const wallet = store.createWallet({ type, scheme, userId: user.id, publicKey, address: walletAddress(type, publicKey) });
  return { wallet, publicKey, signer: encodeSigner({ walletId: wallet.id, scheme, privateKey }) };
}

/**
 * Exactly what `exportSession()` returns for this user (core-sdk ParaCore.exportSession): base64 of
 * {authInfo, userId, wallets, currentWalletIds, sessionCookie, externalWallets}. Each wallet is the
 * API's entity with the SDK's own fields laid over it, as `populateWalletAddresses` merges them.
 */
function exportedSession(user: User, sessionCookie: string, currentWalletIds: object, minted: ReturnType<typeof mintWallet>[]): string {
  const wallets = Object.fromEntries(
    minted.map(({ wallet, signer }) => [
      wallet.id,
      { ...walletEntity(wallet), id: wallet.id, signer, scheme: wallet.scheme, type: wallet.type },
    ]),
  );
  const authInfo = { auth: { [user.authType]: user.identifier }, authType: user.authType, identifier: user.identifier };
  const sessionInfo = { authInfo, userId: user.id, wallets, currentWalletIds, sessionCookie, externalWallets: {} };
  return Buffer.from(JSON.stringify(sessionInfo)).toString("base64");
}

function requireIdentity(body: Record<string, unknown>): { authType: AuthType; identifier: string } {
  const { email, phone } = body;
  if (email !== undefined && phone !== undefined) fail(400, "send email or phone, not both");
  if (phone !== undefined) {
    if (typeof phone !== "string" || !/^\+[1-9]\d{6,14}$/.test(phone)) fail(400, "phone must be an E.164 number such as +15555550123");
    return { authType: "phone", identifier: phone };
  }
  if (email === undefined) return { authType: "email", identifier: `${randomUUID()}@para-local.test` };
  if (typeof email !== "string" || email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    fail(400, "email is not an email address");
  return { authType: "email", identifier: email };
}

function requireMs(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(400, `${name} must be an integer number of milliseconds between ${min} and ${max}`);
  }
  return value;
}
