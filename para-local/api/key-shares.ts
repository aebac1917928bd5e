import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { KeyShare } from "../state.js";
import { factory, fail, jsonBody, requireAuthenticated, text } from "./context.js";

/**
 * Where the browser SDK puts a new wallet's share (`distributeNewShare` in core-sdk): it lists
 * the user's passkeys and passwords, encrypts the share to each, registers a recovery key,
 * uploads everything to `/users/:id/key-shares` and asks Para to distribute its own half.
 * para-local keeps the uploads so the portal's password login page can hand a returning user
 * their shares on a new device (`GET /users/:id/temporary-shares`).
 */

const HEX = /^(0x)?[0-9a-f]+$/i;

/** `GET /users/:userId/biometrics/keys`: no passkeys locally, so the SDK encrypts to passwords only. */
export const listBiometricKeys = factory.createHandlers((c) => {
  requireAuthenticated(c, c.req.param("userId"));
  return c.json({ keys: [] });
});

export const listRecoveryKeys = factory.createHandlers((c) => {
  const userId = c.req.param("userId") ?? "";
  requireAuthenticated(c, userId);
  return c.json({ recoveryPublicKeys: c.get("store").recoveryPublicKeys.get(userId) ?? [] });
});

const recoveryKeysBody = z.object({ publicKeys: z.array(z.string().regex(HEX, "must be hex")).min(1) });

export const addRecoveryKeys = factory.createHandlers(jsonBody(recoveryKeysBody), (c) => {
  const userId = c.req.param("userId") ?? "";
  requireAuthenticated(c, userId);
  const { publicKeys } = c.req.valid("json");
  const store = c.get("store");
  const keys = [...(store.recoveryPublicKeys.get(userId) ?? []), ...publicKeys.map((publicKey) => ({ id: randomUUID(), publicKey }))];
  store.recoveryPublicKeys.set(userId, keys);
  return c.json({ recoveryPublicKeys: keys });
});

const optionalText = text()
  .nullish()
  .transform((value) => value ?? undefined);
const keySharesBody = z.object({
  keyShares: z.array(
    z.object({
      walletId: text(),
      type: text(),
      encryptor: text(),
      encryptedShare: text(),
      encryptedKey: optionalText,
      passwordId: optionalText,
      biometricPublicKey: optionalText,
      recoveryPublicKeyId: optionalText,
      partnerId: optionalText,
      protocolId: optionalText,
    }),
  ),
});

export const uploadKeyShares = factory.createHandlers(jsonBody(keySharesBody), (c) => {
  const userId = c.req.param("userId") ?? "";
  requireAuthenticated(c, userId);
  const store = c.get("store");
  const parsed = c.req.valid("json").keyShares.map((share): KeyShare => {
    const wallet = store.wallets.get(share.walletId);
    if (!wallet || wallet.userId !== userId) fail(404, `wallet ${share.walletId} not found`);
    return { ...share, userId, createdAt: store.now() };
  });
  store.keyShares.push(...parsed);
  return c.json({});
});

/** Para's half of the key: locally there is none to distribute. */
export const distributeParaShare = factory.createHandlers((c) => {
  const userId = c.req.param("userId") ?? "";
  requireAuthenticated(c, userId);
  const wallet = c.get("store").wallets.get(c.req.param("walletId") ?? "");
  if (!wallet || wallet.userId !== userId) fail(404, "wallet not found");
  return c.json({});
});

/** The shares the portal's login page encrypted to this session's device key. */
export const listTemporaryShares = factory.createHandlers((c) => {
  const userId = c.req.param("userId") ?? "";
  const session = requireAuthenticated(c, userId);
  const lookupId = c.req.query("sessionLookupId");
  if (!lookupId) fail(400, "sessionLookupId is required");
  if (lookupId !== session.lookupId) fail(403, "sessionLookupId is not this session's");
  return c.json({ temporaryShares: c.get("store").temporaryShares.get(lookupId) ?? [] });
});
