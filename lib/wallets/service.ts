import "server-only";
import { getConfig } from "../config";
import { UnsealError } from "../crypto/envelope";
import type { StoredPregenWallet } from "../db/schema";
import { AppError } from "../errors";
import { finishAfterResponse } from "../http/after-response";
import { limitSigning } from "../http/rate-limit";
import { logError } from "../log";
import { callPara } from "../para/call";
import { createParaServer, type ParaServer } from "../para/server";
import { COSMOS_TESTNET } from "../signing/networks";
import { type PregenIdentifier, toParaPregenId } from "./identifier";
import {
  completePregenWallets,
  type CreationLimit,
  findPregenWallets,
  listPregenWallets,
  openUserShare,
  type PregenWalletRecord,
  releasePregenWallets,
  reservePregenWallets,
} from "./store";

/** Each user may start this many pregenerated sets a day: every set costs key generations at Para. */
export const PREGEN_CREATION_LIMIT: CreationLimit = { max: 5, windowMs: 24 * 60 * 60 * 1000 };

const WALLET_TYPES = ["EVM", "SOLANA", "COSMOS"] as const;

/** A pregenerated set as the API answers it: the identifier and the addresses, never the share. */
export interface PregenWalletView {
  id: string;
  identifier: PregenIdentifier;
  wallets: { type: StoredPregenWallet["type"]; address: string }[];
  createdAt: string;
}

/**
 * Creates EVM, Solana and Cosmos pregenerated wallets for `identifier` on behalf of the signed-in
 * `ownerUserId`, and stores their user share sealed. 409 when the identifier already has wallets
 * (here or at Para), 429 past the owner's creation limit.
 */
export async function createPregenWallets(ownerUserId: string, identifier: PregenIdentifier): Promise<PregenWalletView> {
  const global = { max: getConfig().pregenGlobalHourlyLimit, windowMs: 60 * 60 * 1000 };
  const reservation = await reservePregenWallets(ownerUserId, identifier, { perOwner: PREGEN_CREATION_LIMIT, global });
  if ("refused" in reservation) {
    if (reservation.refused === "global_limit_reached") {
      throw new AppError("rate_limited", "This server has pregenerated as many wallets as it allows in an hour; try again later.");
    }
    if (reservation.refused === "limit_reached") {
      throw new AppError(
        "rate_limited",
        `You can create pregenerated wallets ${PREGEN_CREATION_LIMIT.max} times a day; try again tomorrow.`,
      );
    }
    throw identifierTaken();
  }
  // Set when Para outlasts the time limit: the creation goes on and stores its wallets when it ends.
  let finishing: Promise<unknown> | undefined;
  try {
    const para = createParaServer({ signing: true });
    const pregenId = toParaPregenId(identifier);
    // Para may hold wallets for it that this database does not know (made before a reset, or by another server with the same key).
    if (await callPara("hasPregenWallet", () => para.hasPregenWallet({ pregenId }))) throw identifierTaken();
    const store = (created: { id: string; scheme?: string }[]) => {
      const wallets = WALLET_TYPES.map((type) => pregenWalletOf(para, created, type));
      const userShare = para.getUserShare();
      if (!userShare) throw new AppError("upstream_error", "Para created no wallets.");
      return completePregenWallets({ id: reservation.id, ownerUserId, identifier }, wallets, userShare);
    };
    // The SDK makes one wallet per signature scheme: one secp256k1 wallet serves EVM and Cosmos, one ed25519 wallet Solana.
    const created = await callPara(
      "createPregenWalletPerType",
      () => para.createPregenWalletPerType({ pregenId, types: [...WALLET_TYPES] }),
      {
        // Para keeps wallets it finishes after we stopped waiting, and the identifier is then taken there for good:
        // their share is stored when they arrive (the request's instance holds it), or the reservation is given up.
        onLate: (late) => {
          finishing = late.then(store).catch(async (error: unknown) => {
            logError("pregen", new Error(`pregenerated wallets that came late could not be stored (${reservation.id})`, { cause: error }));
            await releasePregenWallets(reservation.id);
          });
          finishAfterResponse(finishing);
        },
      },
    );
    return toView(await store(created));
  } catch (error) {
    if (finishing) {
      throw new AppError(
        "upstream_timeout",
        "Para is taking longer than usual to create these wallets. They will appear in your list when it finishes; there is no need to create them again.",
        { details: { pregenWalletsId: reservation.id } },
      );
    }
    await releasePregenWallets(reservation.id);
    throw error;
  }
}

/** The owner's pregenerated sets. */
export async function listOwnPregenWallets(ownerUserId: string): Promise<PregenWalletView[]> {
  return (await listPregenWallets(ownerUserId)).map(toView);
}

/** One set, for its owner only (403 for anyone else, 404 when there is none). */
export async function getOwnPregenWallets(ownerUserId: string, id: string): Promise<PregenWalletView> {
  return toView(await requireOwned(ownerUserId, id));
}

/**
 * Runs `action` with a new signing instance holding the set's user share, for its owner only.
 * The share is opened inside the request and never leaves it.
 */
export async function withPregenSigner<T>(
  ownerUserId: string,
  id: string,
  action: (para: ParaServer, wallets: StoredPregenWallet[]) => Promise<T>,
): Promise<T> {
  const record = await requireOwned(ownerUserId, id);
  await limitSigning(ownerUserId);
  let userShare: string;
  try {
    userShare = await openUserShare(record.id);
  } catch (error) {
    if (error instanceof UnsealError)
      throw new AppError("internal_error", "The stored key share of these wallets could not be opened.", { cause: error });
    throw error;
  }
  const para = createParaServer({ signing: true });
  await callPara("setUserShare", () => para.setUserShare(userShare));
  return action(para, record.wallets);
}

async function requireOwned(ownerUserId: string, id: string): Promise<PregenWalletRecord> {
  const record = await findPregenWallets(id);
  if (!record) throw new AppError("not_found", "No pregenerated wallets with this id.");
  if (record.ownerUserId !== ownerUserId) throw new AppError("forbidden", "These pregenerated wallets belong to another user.");
  return record;
}

/** The created wallet that signs for `type`, with the address that type uses (Cosmos: bech32 with the test network's prefix). */
function pregenWalletOf(
  para: ParaServer,
  created: { id: string; scheme?: string }[],
  type: (typeof WALLET_TYPES)[number],
): StoredPregenWallet {
  const scheme = type === "SOLANA" ? "ED25519" : "DKLS";
  const wallet = created.find((candidate) => candidate.scheme === scheme);
  const address = wallet && para.getDisplayAddress(wallet.id, { addressType: type, cosmosPrefix: COSMOS_TESTNET.prefix });
  if (!wallet || !address) throw new AppError("upstream_error", `Para created no ${type} wallet.`);
  return { type, paraWalletId: wallet.id, address };
}

function toView(record: PregenWalletRecord): PregenWalletView {
  return {
    id: record.id,
    identifier: record.identifier,
    wallets: record.wallets.map(({ type, address }) => ({ type, address })),
    createdAt: record.createdAt.toISOString(),
  };
}

function identifierTaken(): AppError {
  return new AppError("conflict", "This identifier already has pregenerated wallets.");
}
