import { randomUUID } from "node:crypto";
import { z } from "zod";
import { newJwtKey, PUBLISHED_KEYS, signJwt } from "../jwt-keys.js";
import { displayAddress, encodeSigner, generatePrivateKey, publicKeyOf, walletAddress } from "../keys/wallet-keys.js";
import {
  type AuthType,
  cookieKey,
  KEEP_ALIVE_LIMIT_STATUSES,
  KEEP_ALIVE_MODES,
  OAUTH_METHODS,
  type Partner,
  SCHEME_TYPES,
  type Store,
  type User,
  type WalletType,
} from "../state.js";
import { factory, fail, jsonBody } from "./context.js";
import { requireScheme, requireWallet, walletEntity } from "./wallet-entity.js";

// `/test/*`: controls for test suites and fixtures, mounted only when para-local runs with `--test`.

const DAY_MS = 24 * 60 * 60 * 1000;
const ms = (min: number, max: number) => z.int().min(min).max(max);

export const reset = factory.createHandlers((c) => {
  c.get("store").reset();
  return c.json({ ok: true });
});

/** Rotates the JWT signing key: new tokens carry a new `kid`; the JWKS publishes it beside the previous one. */
export const rotateJwtKey = factory.createHandlers(async (c) => {
  const store = c.get("store");
  store.jwtKeys = [await newJwtKey(store.now()), ...store.jwtKeys].slice(0, PUBLISHED_KEYS);
  return c.json({ kid: store.jwtKeys[0]!.kid });
});

/** Signs any payload with the current JWT key, so tests can make tokens Para would never issue (wrong aud, expired). */
export const signJwtClaims = factory.createHandlers(jsonBody(z.object({ payload: z.record(z.string(), z.unknown()) })), async (c) => {
  const key = c.get("store").jwtKeys[0]!;
  return c.json({ token: await signJwt(key, c.req.valid("json").payload), keyId: key.kid });
});

export const setSessionLength = factory.createHandlers(jsonBody(z.object({ ms: ms(1, 30 * DAY_MS) })), (c) => {
  const { ms } = c.req.valid("json");
  c.get("store").sessionLengthMs = ms;
  return c.json({ ms });
});

export const advanceClock = factory.createHandlers(jsonBody(z.object({ advanceMs: ms(0, 365 * DAY_MS) })), (c) => {
  const store = c.get("store");
  store.clockOffsetMs += c.req.valid("json").advanceMs;
  return c.json({ now: new Date(store.now()).toISOString(), offsetMs: store.clockOffsetMs });
});

const expireBody = z.union([z.strictObject({ userId: z.string() }), z.strictObject({ sessionCookie: z.string() })], {
  error: "send exactly one of userId or sessionCookie",
});

export const expireSessions = factory.createHandlers(jsonBody(expireBody), (c) => {
  const store = c.get("store");
  const body = c.req.valid("json");
  if ("sessionCookie" in body) {
    if (!store.sessions.delete(cookieKey(body.sessionCookie))) fail(404, "no such session");
    return c.json({ expired: 1 });
  }
  if (!store.users.has(body.userId)) fail(404, "no such user");
  let expired = 0;
  for (const [cookie, session] of store.sessions) {
    if (session.userId === body.userId && store.sessions.delete(cookie)) expired++;
  }
  return c.json({ expired });
});

/**
 * The next `count` (default 1) `/touch` answers for the user's live sessions say "not signed in":
 * Para's reported false negative. With `newCookie`, the answer also hands over a new anonymous
 * session's cookie, as Para does for a cookie it does not recognise; the real session lives on.
 */
const falseNegativeBody = z.object({ userId: z.string(), count: z.int().min(1).max(10).default(1), newCookie: z.boolean().default(false) });

export const answerFalseNegatives = factory.createHandlers(jsonBody(falseNegativeBody), (c) => {
  const store = c.get("store");
  const { userId, count, newCookie } = c.req.valid("json");
  if (!store.users.has(userId)) fail(404, "no such user");
  store.falseNegatives.set(userId, { remaining: count, newCookie });
  return c.json({ userId, count, newCookie });
});

/** How keep-alive answers from now on (see `KeepAliveMode`); `renew`, the default, is what para-local does otherwise. */
export const setKeepAliveMode = factory.createHandlers(jsonBody(z.object({ mode: z.enum(KEEP_ALIVE_MODES) })), (c) => {
  const { mode } = c.req.valid("json");
  c.get("store").keepAliveMode = mode;
  return c.json({ mode });
});

/**
 * Only the first `allow` keep-alive calls (all sessions together) in a window of `windowMs`,
 * starting at the next call, succeed; the rest answer `status`, as teams saw keep-alive fail
 * for all but the first of several sessions in one run. The window is on para-local's clock.
 */
const keepAliveLimitBody = z.object({
  allow: z.int().min(0).max(1000),
  windowMs: ms(1, 30 * DAY_MS),
  status: z.union(KEEP_ALIVE_LIMIT_STATUSES.map((status) => z.literal(status))).default(429),
});

export const limitKeepAlive = factory.createHandlers(jsonBody(keepAliveLimitBody), (c) => {
  const limit = c.req.valid("json");
  c.get("store").keepAliveLimit = { ...limit, used: 0 };
  return c.json(limit);
});

/** The next `count` (default 1) signature requests answer 503; the signing worker retries them, as Para's does. */
export const failSignatures = factory.createHandlers(
  jsonBody(z.object({ count: z.int().min(1).max(3, "count must be 1 to 3 (the worker retries twice: 3 fails the job)").default(1) })),
  (c) => {
    const { count } = c.req.valid("json");
    c.get("store").failNextSignatures = count;
    return c.json({ count });
  },
);

/**
 * The wallet's next signature is held for approval, as a Para policy or transaction review holds
 * one: the signing request answers `{pendingTransactionId}` and the worker returns no signature.
 */
export const holdSignature = factory.createHandlers(jsonBody(z.object({ walletId: z.string() })), (c) => {
  const store = c.get("store");
  const wallet = requireWallet(store, c.req.valid("json").walletId);
  store.heldSignatures.add(wallet.id);
  return c.json({ walletId: wallet.id });
});

/** Which requests a delay or fault applies to: `method` and a route pattern where `:name` matches one segment. */
const requestMatch = {
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]),
  path: z
    .string()
    .regex(/^\/[\w\-./:]*$/, "path must be a route such as /users/:userId/wallets")
    .refine((path) => !path.startsWith("/test/"), "path must be an API route, not a test control"),
  count: z.int().min(1).max(100).default(1),
};

function routePattern(path: string): RegExp {
  return new RegExp(`^${path.replace(/\./g, "\\.").replace(/:\w+/g, "[^/]+")}$`);
}

/** The next `count` (default 1) matching requests wait `ms` before they are answered, as Para does when it is slow. */
const delayBody = z.object({ ...requestMatch, ms: ms(1, 120_000) });

export const delayRequests = factory.createHandlers(jsonBody(delayBody), (c) => {
  const { method, path, ms, count } = c.req.valid("json");
  c.get("store").delays.push({ method, path: routePattern(path), ms, remaining: count });
  return c.json({ method, path, ms, count });
});

/**
 * The next `count` (default 1) matching requests answer `status` with the plain-text `message`
 * instead of reaching their route: after the API-key check and any delay, as Para's own failures
 * come. `status` 403 with `message` "invalid API key" is exactly what a key problem looks like.
 */
const faultBody = z.object({
  ...requestMatch,
  status: z.int().min(400).max(599),
  message: z.string().min(1).max(1000).default("injected fault"),
});

export const injectFaults = factory.createHandlers(jsonBody(faultBody), (c) => {
  const { method, path, status, message, count } = c.req.valid("json");
  c.get("store").faults.push({ method, path: routePattern(path), status, message, remaining: count });
  return c.json({ method, path, status, message, count });
});

/**
 * How `/test/sessions` lays out a user's wallets. `per-scheme` is what SDK 2.18 makes at sign-up:
 * one secp256k1 (DKLS) wallet that serves EVM and Cosmos, typed COSMOS when the partner requires
 * Cosmos (core-sdk `getTypesToCreate`), and one ed25519 wallet for Solana. `per-type` is the
 * three-wallet layout of accounts made by older SDKs: one wallet per type.
 */
const LAYOUTS = ["per-scheme", "per-type"] as const;
type Layout = (typeof LAYOUTS)[number];

const mintBody = z
  .object({
    email: z.email().max(254).optional(),
    phone: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, "phone must be an E.164 number such as +15555550123")
      .optional(),
    layout: z.enum(LAYOUTS).default("per-scheme"),
    /** Whose session: the app's own partner, or the other app's (`OTHER_PARTNER`). */
    partner: z.enum(["main", "other"]).default("main"),
    /** A session signed in with this provider, as after the modal's Google, X, … button (an email user). */
    oAuthMethod: z.enum(OAUTH_METHODS).optional(),
  })
  .refine((body) => body.email === undefined || body.phone === undefined, "send email or phone, not both")
  .refine((body) => body.oAuthMethod === undefined || body.phone === undefined, "an OAuth user is an email user: send no phone");

/** Mints a signed-in user with the wallets a sign-up makes, and the session the browser would export. */
export const mintSession = factory.createHandlers(jsonBody(mintBody), (c) => {
  const store = c.get("store");
  const { layout, partner: which, oAuthMethod, ...identity } = c.req.valid("json");
  const partner = which === "main" ? store.partner : store.partners[1];
  if (!partner) fail(400, "this para-local has no other partner");
  const { authType, identifier } = identityOf(identity);
  if (store.findUserByIdentifier(authType, identifier)) fail(409, `a user with ${authType} ${identifier} already exists`);
  const user = store.createUser(authType, identifier);
  user.verified = true;
  user.passwordSet = true;
  const session = store.createSession(partner.id, user.id);
  session.authenticated = true;
  if (oAuthMethod) {
    user.oAuthMethods = [oAuthMethod];
    session.oAuth = { method: oAuthMethod, outcome: "consented", delivered: true };
  }
  const minted = walletTypesFor(partner, layout).map((type) => mintWallet(store, partner, user, type));
  // Each type the partner supports selects the wallet of that type, else the one whose scheme serves it.
  const selected = partner.supportedWalletTypes.map(({ type }) => {
    const wallet = minted.find((m) => m.wallet.type === type) ?? minted.find((m) => SCHEME_TYPES[m.wallet.scheme].includes(type))!;
    return { type, wallet };
  });
  session.currentWalletIds = Object.fromEntries(selected.map(({ type, wallet }) => [type, [wallet.wallet.id]]));
  return c.json({
    userId: user.id,
    authType,
    identifier,
    layout,
    sessionCookie: store.cookieHeader(session),
    session: exportedSession(user, store.cookieHeader(session), session.currentWalletIds, minted),
    wallets: selected.map(({ type, wallet }) => ({
      id: wallet.wallet.id,
      type,
      address: displayAddress(type, wallet.publicKey, partner.cosmosPrefix),
    })),
  });
});

/** The types of the wallets a sign-up creates, in the given layout. */
function walletTypesFor(partner: Partner, layout: Layout): WalletType[] {
  const types = partner.supportedWalletTypes.map(({ type }) => type);
  if (layout === "per-type") return types;
  const cosmosRequired = partner.supportedWalletTypes.some(({ type, optional }) => type === "COSMOS" && !optional);
  const secp256k1 = types.some((type) => type !== "SOLANA") ? [cosmosRequired ? "COSMOS" : "EVM"] : [];
  return [...secp256k1, ...(types.includes("SOLANA") ? ["SOLANA"] : [])] as WalletType[];
}

function identityOf({ email, phone }: { email?: string; phone?: string }): { authType: AuthType; identifier: string } {
  if (phone !== undefined) return { authType: "phone", identifier: phone };
  return { authType: "email", identifier: email ?? `${randomUUID()}@para-local.test` };
}

function mintWallet(store: Store, partner: Partner, user: User, type: WalletType) {
  const scheme = requireScheme(type, undefined);
  const privateKey = generatePrivateKey(scheme);
  const publicKey = publicKeyOf(scheme, privateKey);
  const address = walletAddress(type, publicKey);
  const wallet = store.createWallet({ type, scheme, userId: user.id, partnerId: partner.id, publicKey, address });
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
