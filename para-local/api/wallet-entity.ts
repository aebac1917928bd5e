import { z } from "zod";
import type { PregenIdentifierType, Store, Wallet, WalletScheme, WalletType } from "../state.js";
import { fail } from "./context.js";

export const WALLET_TYPES: readonly WalletType[] = ["EVM", "SOLANA", "COSMOS"];
export const PREGEN_IDENTIFIER_TYPES = [
  "EMAIL",
  "PHONE",
  "CUSTOM_ID",
  "DISCORD",
  "TWITTER",
  "TELEGRAM",
  "FARCASTER",
  "GUEST_ID",
] as const satisfies readonly PregenIdentifierType[];

/**
 * A wallet as Para's API answers it (`IWalletEntity` in @getpara/shared). The SDK keeps these
 * fields in `para.wallets` and so in the exported session; `fetchWallets` skips wallets whose
 * `sharesPersisted` is false, and keygen polling waits for `address`.
 */
export function walletEntity(wallet: Wallet) {
  const ready = wallet.publicKey !== undefined;
  const isPregen = wallet.pregenIdentifierType !== undefined;
  return {
    id: wallet.id,
    type: wallet.type,
    scheme: wallet.scheme,
    userId: wallet.userId ?? null,
    partnerId: wallet.partnerId,
    ...(ready && {
      address: wallet.address,
      // Para reports no public key for ed25519 wallets (its JWT docs show `publicKey: ""` for
      // Solana); the base58 address is the public key.
      publicKey: wallet.scheme === "ED25519" ? "" : wallet.publicKey,
    }),
    isPregen,
    pregenIdentifier: wallet.pregenIdentifier ?? null,
    pregenIdentifierType: wallet.pregenIdentifierType ?? null,
    keyGenComplete: ready,
    sharesPersisted: ready,
    name: null,
    createdAt: new Date(wallet.createdAt).toISOString(),
    updatedAt: new Date(wallet.createdAt).toISOString(),
  };
}

export type WalletEntity = ReturnType<typeof walletEntity>;

/** What a keygen request names: a type, and optionally the scheme (checked by `requireWalletType` and `requireScheme`). */
export const walletKind = z.object({ type: z.string(), scheme: z.string().nullish() });

/** A wallet type the partner supports, or 400. */
export function requireWalletType(store: Store, value: unknown): WalletType {
  const type = WALLET_TYPES.find((t) => t === value);
  if (!type) fail(400, `type must be one of ${WALLET_TYPES.join(", ")}`);
  if (!store.partner.supportedWalletTypes.some((supported) => supported.type === type))
    fail(400, `wallet type ${type} is not enabled for this partner`);
  return type;
}

/** The scheme for `type`; a requested scheme must match it. para-local makes DKLS (not CGGMP) secp256k1 keys. */
export function requireScheme(type: WalletType, requested: unknown): WalletScheme {
  const scheme: WalletScheme = type === "SOLANA" ? "ED25519" : "DKLS";
  if (requested !== undefined && requested !== null && requested !== scheme)
    fail(400, `a ${type} wallet uses scheme ${scheme}, not ${String(requested)}`);
  return scheme;
}

/** The wallet, or 404; with `partnerId`, only a wallet of that partner. */
export function requireWallet(store: Store, walletId: string, partnerId?: string): Wallet {
  const wallet = store.wallets.get(walletId);
  if (!wallet || (partnerId !== undefined && wallet.partnerId !== partnerId)) fail(404, "wallet not found");
  return wallet;
}
