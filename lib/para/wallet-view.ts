import { getCosmosAddress } from "@getpara/core-sdk";
import type { ParaWallet } from "./identity";

/** A wallet as the user knows it: Cosmos addresses in bech32 with the partner's prefix. */
export interface WalletView {
  id: string;
  type: string;
  address: string | null;
}

/** The wallet types one wallet of a type can sign for: one secp256k1 key serves EVM and Cosmos (the SDK's `WalletSchemeTypeMap`). */
const SERVES: Record<string, readonly string[]> = { EVM: ["EVM", "COSMOS"], COSMOS: ["EVM", "COSMOS"], SOLANA: ["SOLANA"] };
const TYPE_ORDER = ["EVM", "SOLANA", "COSMOS"];

/**
 * Para's wallets for a user as the SDK would show them: one entry per selected type, so the one
 * secp256k1 wallet that serves EVM and Cosmos appears under each (`getDisplayAddress`). Without a
 * selection (a JWT's claims), the SDK's default one: for each type a wallet can serve, the
 * wallet of that type, else the one whose key serves it; SDK 2.18's one secp256k1 wallet typed
 * COSMOS shows under EVM too.
 */
export function walletViews(wallets: ParaWallet[], selection?: Partial<Record<string, string[]>>, cosmosPrefix = "cosmos"): WalletView[] {
  const pairs = selection
    ? Object.entries(selection).flatMap(([type, ids]) => (ids ?? []).map((id) => [id, type] as const))
    : defaultSelection(wallets);
  return pairs.flatMap(([id, type]) => {
    const wallet = wallets.find((candidate) => candidate.id === id);
    if (!wallet) return [];
    const address = type === "COSMOS" && wallet.publicKey ? getCosmosAddress(wallet.publicKey, cosmosPrefix) : wallet.address;
    return [{ id, type, address: address || null }];
  });
}

function defaultSelection(wallets: ParaWallet[]): (readonly [string, string])[] {
  const types = new Set(wallets.flatMap((wallet) => SERVES[wallet.type] ?? [wallet.type]));
  const ordered = [...TYPE_ORDER.filter((type) => types.has(type)), ...[...types].filter((type) => !TYPE_ORDER.includes(type))];
  return ordered.flatMap((type) => {
    const wallet =
      wallets.find((candidate) => candidate.type === type) ?? wallets.find((candidate) => SERVES[candidate.type]?.includes(type));
    return wallet ? [[wallet.id, type] as const] : [];
  });
}
