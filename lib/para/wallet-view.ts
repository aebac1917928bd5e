import { getCosmosAddress } from "@getpara/server-sdk";
import type { ParaWallet } from "./identity";

/** A wallet as the user knows it: Cosmos addresses in bech32 with the partner's prefix. */
export interface WalletView {
  id: string;
  type: string;
  address: string | null;
}

/**
 * Para's wallets for a user as the SDK would show them: one entry per selected type, so the one
 * secp256k1 wallet that serves EVM and Cosmos appears under each (`getDisplayAddress`). Without a
 * selection, each wallet under its own type.
 */
export function walletViews(wallets: ParaWallet[], selection?: Partial<Record<string, string[]>>, cosmosPrefix = "cosmos"): WalletView[] {
  const pairs = selection
    ? Object.entries(selection).flatMap(([type, ids]) => (ids ?? []).map((id) => [id, type] as const))
    : wallets.map((wallet) => [wallet.id, wallet.type] as const);
  return pairs.flatMap(([id, type]) => {
    const wallet = wallets.find((candidate) => candidate.id === id);
    if (!wallet) return [];
    const address = type === "COSMOS" && wallet.publicKey ? getCosmosAddress(wallet.publicKey, cosmosPrefix) : wallet.address;
    return [{ id, type, address: address || null }];
  });
}
