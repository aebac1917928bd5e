import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import type { KeyShare } from "../state.js";
import { type ApiEnv, fail, readJson, requireAuthenticated } from "./context.js";

/**
 * Where the browser SDK puts a new wallet's share (`distributeNewShare` in core-sdk): it lists
 * the user's passkeys and passwords, encrypts the share to each, registers a recovery key,
 * uploads everything to `/users/:id/key-shares` and asks Para to distribute its own half.
 * para-local keeps the uploads so the portal's password login page can hand a returning user
 * their shares on a new device (`GET /users/:id/temporary-shares`).
 */
export const keyShareRoutes = new Hono<ApiEnv>();

const HEX = /^(0x)?[0-9a-f]+$/i;

/** No passkeys locally: the SDK then encrypts to passwords only. */
keyShareRoutes.get("/users/:userId/biometrics/keys", (c) => {
  requireAuthenticated(c, c.req.param("userId"));
  return c.json({ keys: [] });
});

keyShareRoutes.get("/users/:userId/recovery-public-keys", (c) => {
  const userId = c.req.param("userId");
  requireAuthenticated(c, userId);
  return c.json({ recoveryPublicKeys: c.get("store").recoveryPublicKeys.get(userId) ?? [] });
});

keyShareRoutes.post("/users/:userId/recovery-public-keys", async (c) => {
  const userId = c.req.param("userId");
  requireAuthenticated(c, userId);
  const { publicKeys } = await readJson(c);
  if (!Array.isArray(publicKeys) || publicKeys.length === 0 || !publicKeys.every((k) => typeof k === "string" && HEX.test(k))) {
    fail(400, "publicKeys must be a non-empty array of hex strings");
  }
  const store = c.get("store");
  const keys = [
    ...(store.recoveryPublicKeys.get(userId) ?? []),
    ...publicKeys.map((publicKey: string) => ({ id: randomUUID(), publicKey })),
  ];
  store.recoveryPublicKeys.set(userId, keys);
  return c.json({ recoveryPublicKeys: keys });
});

keyShareRoutes.post("/users/:userId/key-shares", async (c) => {
  const userId = c.req.param("userId");
  requireAuthenticated(c, userId);
  const store = c.get("store");
  const { keyShares } = await readJson(c);
  if (!Array.isArray(keyShares)) fail(400, "keyShares must be an array");
  const parsed = keyShares.map((share: unknown, index: number): KeyShare => {
    const s = share && typeof share === "object" ? (share as Record<string, unknown>) : {};
    const text = (field: string, required = false): string | undefined => {
      const value = s[field];
      if (value === undefined || value === null) {
        if (required) fail(400, `keyShares[${index}].${field} is required`);
        return undefined;
      }
      if (typeof value !== "string" || value === "") fail(400, `keyShares[${index}].${field} must be a string`);
      return value;
    };
    const walletId = text("walletId", true)!;
    const wallet = store.wallets.get(walletId);
    if (!wallet || wallet.userId !== userId) fail(404, `wallet ${walletId} not found`);
    return {
      userId,
      walletId,
      type: text("type", true)!,
      encryptor: text("encryptor", true)!,
      encryptedShare: text("encryptedShare", true)!,
      encryptedKey: text("encryptedKey"),
      passwordId: text("passwordId"),
      biometricPublicKey: text("biometricPublicKey"),
      recoveryPublicKeyId: text("recoveryPublicKeyId"),
      partnerId: text("partnerId"),
      protocolId: text("protocolId"),
      createdAt: store.now(),
    };
  });
  store.keyShares.push(...parsed);
  return c.json({});
});

/** Para's half of the key: locally there is none to distribute. */
keyShareRoutes.post("/users/:userId/wallets/:walletId/capsule-share/distribute", (c) => {
  const userId = c.req.param("userId");
  requireAuthenticated(c, userId);
  const wallet = c.get("store").wallets.get(c.req.param("walletId"));
  if (!wallet || wallet.userId !== userId) fail(404, "wallet not found");
  return c.json({});
});

/** The shares the portal's login page encrypted to this session's device key. */
keyShareRoutes.get("/users/:userId/temporary-shares", (c) => {
  const userId = c.req.param("userId");
  const session = requireAuthenticated(c, userId);
  const lookupId = c.req.query("sessionLookupId");
  if (!lookupId) fail(400, "sessionLookupId is required");
  if (lookupId !== session.lookupId) fail(403, "sessionLookupId is not this session's");
  return c.json({ temporaryShares: c.get("store").temporaryShares.get(lookupId) ?? [] });
});
