import "server-only";
import { AppError } from "../errors";
import { passPointOfNoReturn } from "../http/idempotency";
import type { ParaServer } from "../para/server";
import { withCurrentSessionSigner } from "../session/service";
import { withPregenSigner } from "../wallets/service";
import { cosmjsRecipe } from "./cosmjs";
import { DEMO_MESSAGE } from "./demo";
import { ethersRecipe } from "./ethers";
import { COSMOS_TESTNET } from "./networks";
import { solanaRecipe } from "./solana";
import {
  type ChainWalletType,
  type IntegrationPara,
  type Recipe,
  type RecipeResult,
  SIGNING_LIBRARIES,
  type SigningLibrary,
  type SigningMode,
  type SignedMessage,
  type SignedTransaction,
  type SigningResult,
  type SigningWallet,
} from "./types";
import { type SmartAccountResult, type SmartAccountType, sendSmartAccountOperation } from "./smart-account";
import { viemRecipe } from "./viem";

const RECIPES: Record<SigningLibrary, Recipe> = { viem: viemRecipe, ethers: ethersRecipe, cosmjs: cosmjsRecipe, solana: solanaRecipe };

/** The recipe for the `[library]` URL segment; 404 for any other. */
export function recipeFor(library: string): Recipe {
  const known = SIGNING_LIBRARIES.find((name) => name === library);
  if (!known) throw new AppError("not_found", `No signing example for "${library}". Try one of: ${SIGNING_LIBRARIES.join(", ")}.`);
  return RECIPES[known];
}

/** Whose key signs: the caller's stored session (sent with signers), or one of the caller's pregenerated sets. */
export type SigningTarget = { mode: "session" } | { mode: "pregen"; ownerUserId: string; setId: string };

/** Signs the demo message and transaction with the caller's stored session or pregenerated set. */
export async function runExample(recipe: Recipe, target: SigningTarget): Promise<SigningResult> {
  return withSigningWallet(target, recipe.walletType, async (para, wallet) => {
    const message = await recipe.signMessage(para, wallet, DEMO_MESSAGE);
    const transaction = await recipe.signTransaction(para, wallet);
    return answer(recipe, target.mode, { ...message, ...transaction });
  });
}

/** Signs one part with a ParaServer that holds a user's session: the given message, or the demo transaction. */
export async function signPart(
  para: ParaServer,
  library: SigningLibrary,
  kind: "message" | "transaction",
  message: string,
): Promise<SignedMessage | SignedTransaction> {
  const recipe = RECIPES[library];
  return withSessionWallet<SignedMessage | SignedTransaction>(para, recipe.walletType, (integrationPara, wallet) =>
    kind === "transaction" ? recipe.signTransaction(integrationPara, wallet) : recipe.signMessage(integrationPara, wallet, message),
  );
}

/** Sends a user operation from an ERC-4337 smart account owned by the caller's Para EVM wallet (session or pregenerated). */
export async function runSmartAccountExample(
  target: SigningTarget,
  type: SmartAccountType,
): Promise<SmartAccountResult & { mode: SigningMode }> {
  return withSigningWallet(target, "EVM", async (para, wallet) => ({
    mode: target.mode,
    ...(await sendSmartAccountOperation(para, wallet, type)),
  }));
}

/** Runs `action` with the signing instance and its wallet of `type`, for the target's owner only. */
async function withSigningWallet<T>(
  target: SigningTarget,
  type: ChainWalletType,
  action: (para: IntegrationPara, wallet: SigningWallet) => Promise<T>,
): Promise<T> {
  if (target.mode === "session") {
    return withCurrentSessionSigner((para) => withSessionWallet(para, type, action));
  }
  return withPregenSigner(target.ownerUserId, target.setId, async (para, wallets) => {
    const wallet = wallets.find((candidate) => candidate.type === type);
    if (!wallet) throw new AppError("conflict", `These pregenerated wallets have no ${type} wallet.`);
    passPointOfNoReturn();
    return action(forIntegrations(para), { id: wallet.paraWalletId, address: wallet.address });
  });
}

function withSessionWallet<T>(
  para: ParaServer,
  type: ChainWalletType,
  action: (para: IntegrationPara, wallet: SigningWallet) => Promise<T>,
): Promise<T> {
  const wallet = sessionWallet(para, type);
  passPointOfNoReturn();
  return action(forIntegrations(para), wallet);
}

/** The session's selected wallet of `type`, with the address that type uses. */
function sessionWallet(para: ParaServer, type: ChainWalletType): SigningWallet {
  const id = para.currentWalletIds[type]?.[0];
  const address = id ? para.getDisplayAddress(id, { addressType: type, cosmosPrefix: COSMOS_TESTNET.prefix }) : undefined;
  if (!id || !address) throw new AppError("conflict", `Your Para session has no ${type} wallet to sign with.`);
  return { id, address };
}

/**
 * The server SDK instance as the integrations type it. ParaServer declares `claimPregenWallets`
 * with another return type than ParaCore (an SDK typing mismatch), so TypeScript refuses it where
 * the integrations ask for ParaCore; at run time it is one.
 */
function forIntegrations(para: ParaServer): IntegrationPara {
  return para as unknown as IntegrationPara;
}

function answer(recipe: Recipe, mode: SigningMode, result: RecipeResult): SigningResult {
  // Recipes throw unless both signatures verify, so reaching here means they did.
  return { library: recipe.library, mode, ...result, verified: true };
}
