import { Hono } from "hono";
import type { Wallet } from "../state.js";
import { normalizePublicKey, walletAddress } from "../workers/keys.js";
import { type ApiContext, type ApiEnv, fail, readJson, requireAuthenticated, requireString } from "./context.js";
import { pregenRoutes } from "./pregen.js";
import { requireScheme, requireWallet, requireWalletType, walletEntity } from "./wallet-entity.js";

/** User wallets, pregen wallets, the worker's key registration and sign pre-authorisation. */
export const walletRoutes = new Hono<ApiEnv>();

walletRoutes.route("/", pregenRoutes);

/** Keygen, step 1 (the worker): register a wallet for the signed-in user. */
walletRoutes.post("/users/:userId/wallets", async (c) => {
  const store = c.get("store");
  const session = requireAuthenticated(c, c.req.param("userId"));
  const body = await readJson(c);
  const type = requireWalletType(store, body.type);
  const scheme = requireScheme(type, body.scheme);
  const wallet = store.createWallet({ type, scheme, userId: session.userId });
  return c.json({ walletId: wallet.id, protocolId: wallet.protocolId });
});

walletRoutes.get("/users/:userId/wallets", (c) => {
  const session = requireAuthenticated(c, c.req.param("userId"));
  return c.json({ wallets: c.get("store").walletsOf(session.userId).map(walletEntity) });
});

/**
 * Keygen, step 2 (para-local only): the worker reports the public key of the key it made; the
 * API derives the address, which completes the wallet. Only the wallet's owner (its user's
 * session, or the partner for a pregen wallet) may set it, and only once.
 */
walletRoutes.post("/local/wallets/:walletId/public-key", async (c) => {
  const store = c.get("store");
  const body = await readJson(c);
  const reported = requireString(body, "publicKey");
  const wallet = requireWallet(store, c.req.param("walletId"));
  if (wallet.userId) requireAuthenticated(c, wallet.userId);
  if (wallet.publicKey) fail(409, "this wallet already has its public key");
  let publicKey: string;
  try {
    publicKey = normalizePublicKey(wallet.scheme, reported);
  } catch (error) {
    fail(400, error instanceof Error ? error.message : "invalid publicKey");
  }
  wallet.publicKey = publicKey;
  wallet.address = walletAddress(wallet.type, publicKey);
  return c.json({ walletId: wallet.id, address: wallet.address });
});

walletRoutes.post("/users/:signerId/wallets/:walletId/messages/sign", async (c) => {
  failIfAsked(c);
  const body = await readJson(c);
  requireString(body, "message");
  const wallet = authoriseSigner(c);
  if (body.scheme === "ED25519" && wallet.scheme !== "ED25519") fail(400, `wallet ${wallet.id} is not an ED25519 wallet`);
  return c.json({});
});

walletRoutes.post("/users/:signerId/wallets/:walletId/transactions/sign", async (c) => {
  failIfAsked(c);
  const body = await readJson(c);
  requireString(body, "transaction");
  const wallet = authoriseSigner(c);
  if (wallet.scheme !== "DKLS") fail(400, `wallet ${wallet.id} cannot sign EVM transactions`);
  return c.json({});
});

/** A test control (`/test/signatures/fail`) can make the next signature requests fail, as Para's sometimes do. */
function failIfAsked(c: ApiContext): void {
  const store = c.get("store");
  if (store.failNextSignatures <= 0) return;
  store.failNextSignatures--;
  fail(503, "signing is temporarily unavailable");
}

/**
 * Who may sign with a wallet: its user, through a live signed-in session (signerId = user id),
 * or, for an unclaimed pregen wallet, its partner (signerId = partner id; the API key is the
 * credential). 401 → 403 → 404, so unauthenticated callers learn nothing about wallet ids.
 * Answers `{}`: para-local never asks for a transaction review.
 */
function authoriseSigner(c: ApiContext): Wallet {
  const store = c.get("store");
  const signerId = c.req.param("signerId") ?? "";
  const walletId = c.req.param("walletId") ?? "";
  if (signerId === store.partner.id) {
    const wallet = requireWallet(store, walletId);
    if (wallet.userId || !wallet.pregenIdentifierType) fail(403, "only an unclaimed pregenerated wallet signs as the partner");
    return requireReady(wallet);
  }
  const session = requireAuthenticated(c, signerId);
  const wallet = requireWallet(store, walletId);
  if (wallet.userId !== session.userId) fail(403, "this wallet belongs to someone else");
  return requireReady(wallet);
}

function requireReady(wallet: Wallet): Wallet {
  if (!wallet.publicKey) fail(409, "wallet key generation has not finished");
  return wallet;
}
