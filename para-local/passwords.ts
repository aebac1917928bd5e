import { createPasswordSecret, decryptWithPrivateKey, encryptToPublicKey, isPublicKeyHex, openPasswordSecret } from "./credentials.js";
import type { Store, TemporaryShare, User } from "./state.js";

/**
 * What the portal's password pages do with a password, on the store. A result is either
 * done or a message for the person at the keyboard.
 */
export type PasswordResult = { ok: true } | { ok: false; status: 400 | 403 | 404 | 409; message: string };

export const MIN_PASSWORD_LENGTH = 8;

/**
 * Sign-up: completes the user's PENDING password and signs in the session that verified
 * their code (the SDK polls `/touch` until it sees `isAuthenticated`).
 */
export function completePassword(store: Store, userId: string, passwordId: string, password: string): PasswordResult {
  const user = store.users.get(userId);
  const credential = store.passwords.get(passwordId);
  if (!user || credential?.userId !== userId) return { ok: false, status: 404, message: "This password link is not valid." };
  if (credential.status === "COMPLETE") return { ok: false, status: 409, message: "This password is already set." };
  if (!user.verified) return { ok: false, status: 403, message: "Verify your email or phone first." };
  const tooWeak = checkPassword(password);
  if (tooWeak) return { ok: false, status: 400, message: tooWeak };

  credential.secret = createPasswordSecret(password);
  credential.status = "COMPLETE";
  user.passwordId = credential.id;
  user.passwordSet = true;
  const signingUp = [...store.sessions.values()].filter((s) => s.userId === user.id && !s.authenticated && s.expiresAt > store.now());
  for (const session of signingUp) {
    session.authenticated = true;
    store.extendSession(session);
  }
  return { ok: true };
}

/**
 * Log-in on any device: checks the password, opens the password's private key, and hands
 * the session named by `sessionLookupId` the user's shares re-encrypted to that device's
 * one-time key (`encryptionKey` from the login URL), as Para's portal does.
 */
export function signInWithPassword(
  store: Store,
  input: { userId: string; sessionLookupId: string; encryptionKey: string; password: string },
): PasswordResult {
  const user = store.users.get(input.userId);
  const credential = user?.passwordId ? store.passwords.get(user.passwordId) : undefined;
  const session = store.findSessionByLookupId(input.sessionLookupId);
  if (!user || credential?.status !== "COMPLETE" || !credential.secret) {
    return { ok: false, status: 404, message: "This account has no password." };
  }
  if (!session) return { ok: false, status: 403, message: "This sign-in has expired. Close this window and start again." };
  if (!isPublicKeyHex(input.encryptionKey)) return { ok: false, status: 400, message: "This login link is not valid." };
  const privateKey = openPasswordSecret(credential.secret, input.password);
  if (!privateKey) return { ok: false, status: 403, message: "Incorrect password." };

  const shares = sharesForDevice(store, user, credential.id, privateKey, input.encryptionKey);
  if (!shares) {
    return {
      ok: false,
      status: 409,
      message: "Some of this account's wallets have no password backup, so they cannot be opened on this device.",
    };
  }
  store.temporaryShares.set(session.lookupId, shares);
  session.userId = user.id;
  session.authenticated = true;
  session.currentWalletIds = store.currentWalletIdsOf(user.id);
  store.extendSession(session);
  return { ok: true };
}

/** Every wallet's newest password-encrypted share, re-encrypted to the device key; undefined if one is missing. */
function sharesForDevice(
  store: Store,
  user: User,
  passwordId: string,
  privateKey: string,
  devicePublicKeyHex: string,
): TemporaryShare[] | undefined {
  const shares: TemporaryShare[] = [];
  for (const wallet of store.walletsOf(user.id)) {
    const share = store.keyShares.findLast((s) => s.walletId === wallet.id && s.encryptor === "PASSWORD" && s.passwordId === passwordId);
    if (!share?.encryptedKey) return undefined;
    const signer = decryptWithPrivateKey(privateKey, share.encryptedShare, share.encryptedKey);
    shares.push({ userId: user.id, walletId: wallet.id, walletScheme: wallet.scheme, ...encryptToPublicKey(devicePublicKeyHex, signer) });
  }
  return shares;
}

function checkPassword(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > 256) return "Use at most 256 characters.";
  return undefined;
}
