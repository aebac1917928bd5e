import "server-only";
import { DrizzleQueryError } from "drizzle-orm";
import { UnsealError } from "../crypto/envelope";
import type { StoredPregenWallet } from "../db/schema";
import { AppError } from "../errors";
import { finishAfterResponse } from "../http/after-response";
import { limitSigning } from "../http/rate-limit";
import { logError } from "../log";
import { callPara } from "../para/call";
import { createParaServer, type ParaServer } from "../para/server";
import { COSMOS_TESTNET } from "../signing/networks";
import { countPregenAttempt } from "./attempts";
import { type PregenIdentifier, toParaPregenId } from "./identifier";
import { retryWithBackoff } from "./retry";
import {
  completePregenWallets,
  findPregenWallets,
  listPregenWallets,
  markPregenWalletsUnstored,
  openUserShare,
  type PregenReservation,
  type PregenWalletRecord,
  releasePregenWallets,
  reservePregenWallets,
} from "./store";

const WALLET_TYPES = ["EVM", "SOLANA", "COSMOS"] as const;

/**
 * The waits before each new try of the sealed write of a share Para has just made (≈ 16 s in all).
 * Until it is stored the share exists only in this request's memory, and once it is lost nobody can
 * sign with the wallets, which Para keeps: a short database outage must not cost it.
 */
const SHARE_WRITE_RETRIES_MS = [250, 500, 1_000, 2_000, 4_000, 8_000];
/** The same for the small write that marks a set whose share could not be stored. */
const UNSTORED_MARK_RETRIES_MS = [1_000, 2_000, 4_000];

type PregenId = ReturnType<typeof toParaPregenId>;
/** What the SDK answers for a created set, as far as the app reads it. */
type CreatedWallets = { id: string; scheme?: string }[];

/** A pregenerated set as the API answers it: the identifier and the addresses, never the share. */
export interface PregenWalletView {
  id: string;
  identifier: PregenIdentifier;
  wallets: { type: StoredPregenWallet["type"]; address: string }[];
  createdAt: string;
}

/**
 * Creates EVM, Solana and Cosmos pregenerated wallets for `identifier` on behalf of the signed-in
 * `ownerUserId`, and stores their user share sealed. 429 past the owner's or the server's limit on
 * attempts (lib/wallets/attempts.ts), 409 when the identifier already has wallets (here or at
 * Para), 503 with the set's id when Para made them but their share could not be stored.
 */
export async function createPregenWallets(ownerUserId: string, identifier: PregenIdentifier): Promise<PregenWalletView> {
  await countPregenAttempt(ownerUserId);
  const pregenId = toParaPregenId(identifier);
  // Para may hold wallets for it that this database does not know (made before a reset, or by another server with the same key).
  if (await paraHasPregenWallets(pregenId)) throw identifierTaken();
  const reservation = await reservePregenWallets(ownerUserId, identifier);
  if (!reservation) throw identifierTaken();
  return toView(await makeWalletsAtPara(createParaServer({ signing: true }), reservation, pregenId));
}

/** Para's `hasPregenWallet` on an instance without the signing worker, which a signing instance starts as it is built. */
async function paraHasPregenWallets(pregenId: PregenId): Promise<boolean> {
  const para = createParaServer({ signing: false });
  return callPara("hasPregenWallet", () => para.hasPregenWallet({ pregenId }));
}

/**
 * Has Para make the set, then stores it. Para keeps wallets it finishes after we stopped waiting,
 * and the identifier is then taken there for good: their share is stored when they arrive (the
 * request's instance holds it, and goes on after the 504), as it is when they come in time.
 */
async function makeWalletsAtPara(para: ParaServer, reservation: PregenReservation, pregenId: PregenId): Promise<PregenWalletRecord> {
  let finishingLate = false;
  let created: CreatedWallets;
  try {
    // The SDK makes one wallet per signature scheme: one secp256k1 wallet serves EVM and Cosmos, one ed25519 wallet Solana.
    created = await callPara("createPregenWalletPerType", () => para.createPregenWalletPerType({ pregenId, types: [...WALLET_TYPES] }), {
      onLate: (late) => {
        finishingLate = true;
        finishAfterResponse(finishLateCreation(para, reservation, late));
      },
    });
  } catch (error) {
    if (finishingLate) throw stillCreating(reservation.id);
    await settleFailedCreation(para, reservation);
    throw error;
  }
  const stored = await keepCreatedWallets(para, reservation, created);
  if (!stored) throw notStored(reservation.id);
  return stored;
}

/** Para's answer after the 504: stored as an answer in time would be (nobody is waiting for it, so only the log tells). */
async function finishLateCreation(para: ParaServer, reservation: PregenReservation, late: Promise<CreatedWallets>): Promise<void> {
  let created: CreatedWallets;
  try {
    created = await late;
  } catch (error) {
    logError("pregen", new Error(`pregen set ${reservation.id}: Para's late answer was a failure`, { cause: error }));
    await settleFailedCreation(para, reservation);
    return;
  }
  await keepCreatedWallets(para, reservation, created);
}

/**
 * Stores the set Para made with its share, trying again through a short database outage. When
 * it cannot (or the set lacks a wallet), the row is marked `unstored` and logged instead, and
 * undefined returned: it is never given up, since Para holds the wallets.
 */
async function keepCreatedWallets(
  para: ParaServer,
  reservation: PregenReservation,
  created: CreatedWallets,
): Promise<PregenWalletRecord | undefined> {
  const wallets = completeSet(para, created);
  const userShare = para.getUserShare();
  if (!wallets || !userShare) {
    await recordUnstored(reservation, walletsHeld(para), new Error("Para's answer lacks a wallet of the set"));
    return undefined;
  }
  try {
    return await retryWithBackoff(() => completePregenWallets(reservation, wallets, userShare), SHARE_WRITE_RETRIES_MS);
  } catch (error) {
    await recordUnstored(reservation, wallets, queryCause(error));
    return undefined;
  }
}

/**
 * After Para's creation failed. Wallets the instance holds (the SDK adds each as Para finishes it)
 * were made at Para, part of a set: the row is kept, marked `unstored`. Otherwise Para made nothing
 * this request could use, and the reservation is given up (had Para made a wallet without
 * answering, its lookup refuses the identifier from then on).
 */
async function settleFailedCreation(para: ParaServer, reservation: PregenReservation): Promise<void> {
  const held = walletsHeld(para);
  if (held.length) return recordUnstored(reservation, held, new Error("Para made part of the set before it failed"));
  try {
    await releasePregenWallets(reservation.id);
  } catch (error) {
    // Left `creating`: the next request for the identifier takes it over once it is stale, if Para still has nothing for it.
    logError("pregen", new Error(`pregen set ${reservation.id}: its reservation could not be given up`, { cause: queryCause(error) }));
  }
}

/**
 * Marks a set whose share is not stored, and says so in the log (its id and Para's wallet ids,
 * never a share). Should the mark fail too, the row stays `creating`: still never given up, since
 * it is taken over only once Para has no wallets for the identifier.
 */
async function recordUnstored(reservation: PregenReservation, wallets: StoredPregenWallet[], cause: unknown): Promise<void> {
  const walletIds = [...new Set(wallets.map((wallet) => wallet.paraWalletId))].join(", ");
  const what = `pregen set ${reservation.id}: Para made wallets ${walletIds || "(ids unknown)"} whose share could not be stored`;
  try {
    await retryWithBackoff(() => markPregenWalletsUnstored(reservation.id, wallets), UNSTORED_MARK_RETRIES_MS);
    logError("pregen", new Error(`${what}; marked unstored`, { cause }));
  } catch (error) {
    logError("pregen", new Error(`${what}; it could not be marked unstored either`, { cause: queryCause(error) }));
  }
}

/** The owner's pregenerated sets. */
export async function listOwnPregenWallets(ownerUserId: string): Promise<PregenWalletView[]> {
  return (await listPregenWallets(ownerUserId)).map(toView);
}

/** One set, for its owner only (403 for anyone else, 404 when there is none). */
export async function getOwnPregenWallets(ownerUserId: string, setId: string): Promise<PregenWalletView> {
  return toView(await requireOwned(ownerUserId, setId));
}

/**
 * Runs `action` with a new signing instance holding the set's user share, for its owner only.
 * The share is opened inside the request and never leaves it.
 */
export async function withPregenSigner<T>(
  ownerUserId: string,
  setId: string,
  action: (para: ParaServer, wallets: StoredPregenWallet[]) => Promise<T>,
): Promise<T> {
  const record = await requireOwned(ownerUserId, setId);
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

async function requireOwned(ownerUserId: string, setId: string): Promise<PregenWalletRecord> {
  const record = await findPregenWallets(setId);
  if (!record) throw new AppError("not_found", "No pregenerated wallets with this id.");
  if (record.ownerUserId !== ownerUserId) throw new AppError("forbidden", "These pregenerated wallets belong to another user.");
  return record;
}

/** The set as stored, one wallet per type; undefined when Para's answer lacks one. */
function completeSet(para: ParaServer, created: CreatedWallets): StoredPregenWallet[] | undefined {
  const set = WALLET_TYPES.map((type) => walletForType(para, created, type));
  return set.every((wallet): wallet is StoredPregenWallet => wallet !== undefined) ? set : undefined;
}

/** The created wallet that signs for `type`, with the address that type uses (Cosmos: bech32 with the test network's prefix). */
function walletForType(para: ParaServer, created: CreatedWallets, type: (typeof WALLET_TYPES)[number]): StoredPregenWallet | undefined {
  const scheme = type === "SOLANA" ? "ED25519" : "DKLS";
  const wallet = created.find((candidate) => candidate.scheme === scheme);
  const address = wallet && para.getDisplayAddress(wallet.id, { addressType: type, cosmosPrefix: COSMOS_TESTNET.prefix });
  return wallet && address ? { type, paraWalletId: wallet.id, address } : undefined;
}

/** Every wallet the instance holds, with its address where Para gave one: what an operator needs to find them at Para. */
function walletsHeld(para: ParaServer): StoredPregenWallet[] {
  return Object.values(para.getWallets()).map((wallet) => ({
    type: wallet.type as StoredPregenWallet["type"],
    paraWalletId: wallet.id,
    address: wallet.address ?? "",
  }));
}

/** Drizzle's query errors print the statement's parameters (here a sealed share): log what the database said instead. */
function queryCause(error: unknown): unknown {
  return error instanceof DrizzleQueryError ? error.cause : error;
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

function stillCreating(setId: string): AppError {
  return new AppError(
    "upstream_timeout",
    "Para is taking longer than usual to create these wallets. They will appear in your list when it finishes; there is no need to create them again.",
    { details: { setId } },
  );
}

/** Not "try again": the identifier is taken at Para for good, so a new request could only be refused. */
function notStored(setId: string): AppError {
  return new AppError(
    "service_unavailable",
    "Para has made wallets for this identifier, but the server could not store their key share, so it cannot sign with them. The identifier stays taken at Para: asking again will be refused. Quote the set's id to support.",
    { details: { setId } },
  );
}
