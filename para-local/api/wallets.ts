import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Wallet } from "../state.js";
import { normalizePublicKey, walletAddress } from "../keys/wallet-keys.js";
import { type ApiContext, factory, fail, jsonBody, requireAuthenticated, text } from "./context.js";
import { requireScheme, requireWallet, requireWalletType, walletEntity, walletKind } from "./wallet-entity.js";

// User wallets, the worker's key registration and sign pre-authorisation.

/** `POST /users/:userId/wallets`: keygen, step 1 (the worker) registers a wallet for the signed-in user. */
export const createWallet = factory.createHandlers(jsonBody(walletKind), (c) => {
  const store = c.get("store");
  const session = requireAuthenticated(c, c.req.param("userId"));
  const body = c.req.valid("json");
  const type = requireWalletType(store, body.type);
  const scheme = requireScheme(type, body.scheme);
  const wallet = store.createWallet({ type, scheme, userId: session.userId, partnerId: c.get("partner").id });
  return c.json({ walletId: wallet.id, protocolId: wallet.protocolId });
});

export const listWallets = factory.createHandlers((c) => {
  const session = requireAuthenticated(c, c.req.param("userId"));
  return c.json({ wallets: c.get("store").walletsOf(session.userId).map(walletEntity) });
});

/**
 * Keygen, step 2 (para-local only): the worker reports the public key of the key it made; the
 * API derives the address, which completes the wallet. Only the wallet's owner (its user's
 * session, or the partner for a pregen wallet) may set it, and only once.
 */
export const reportPublicKey = factory.createHandlers(jsonBody(z.object({ publicKey: text() })), (c) => {
  const store = c.get("store");
  const reported = c.req.valid("json").publicKey;
  const wallet = requireWallet(store, c.req.param("walletId") ?? "");
  if (wallet.userId) requireAuthenticated(c, wallet.userId);
  else if (wallet.partnerId !== c.get("partner").id) fail(404, "wallet not found");
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

const messageBody = z.object({ message: text(), scheme: z.string().nullish() });

/** `POST /users/:signerId/wallets/:walletId/messages/sign`: the worker asks before it signs a message. */
export const authoriseMessage = factory.createHandlers(jsonBody(messageBody), (c) => {
  failIfAsked(c);
  const wallet = authoriseSigner(c);
  if (c.req.valid("json").scheme === "ED25519" && wallet.scheme !== "ED25519") fail(400, `wallet ${wallet.id} is not an ED25519 wallet`);
  return c.json(holdIfAsked(c, wallet));
});

/** `POST /users/:signerId/wallets/:walletId/transactions/sign`: the same for an EVM transaction. */
export const authoriseTransaction = factory.createHandlers(jsonBody(z.object({ transaction: text() })), (c) => {
  failIfAsked(c);
  const wallet = authoriseSigner(c);
  if (wallet.scheme !== "DKLS") fail(400, `wallet ${wallet.id} cannot sign EVM transactions`);
  return c.json(holdIfAsked(c, wallet));
});

/** A test control (`/test/signatures/fail`) can make the next signature requests fail, as Para's sometimes do. */
function failIfAsked(c: ApiContext): void {
  const store = c.get("store");
  if (store.failNextSignatures <= 0) return;
  store.failNextSignatures--;
  fail(503, "signing is temporarily unavailable");
}

/**
 * `{}` lets the worker sign. A wallet put on hold (`/test/signatures/hold`) gets what Para answers
 * when a policy or transaction review must approve first: `{pendingTransactionId}`, no signature.
 */
function holdIfAsked(c: ApiContext, wallet: Wallet): { pendingTransactionId?: string } {
  const store = c.get("store");
  if (!store.heldSignatures.delete(wallet.id)) return {};
  return { pendingTransactionId: randomUUID() };
}

/**
 * Who may sign with a wallet: its user, through a live signed-in session (signerId = user id),
 * or, for an unclaimed pregen wallet, its partner (signerId = the calling partner's id; the API
 * key is the credential). 401 → 403 → 404, so unauthenticated callers learn nothing about wallet ids.
 */
function authoriseSigner(c: ApiContext): Wallet {
  const store = c.get("store");
  const signerId = c.req.param("signerId") ?? "";
  const walletId = c.req.param("walletId") ?? "";
  const partner = c.get("partner");
  if (signerId === partner.id) {
    const wallet = requireWallet(store, walletId, partner.id);
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
