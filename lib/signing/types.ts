import type { createParaAccount } from "@getpara/viem-v2-integration";

/** The libraries with a signing recipe: the `[library]` segment of `/api/examples/[library]/…`. */
export const SIGNING_LIBRARIES = ["viem", "ethers", "cosmjs", "solana"] as const;
export type SigningLibrary = (typeof SIGNING_LIBRARIES)[number];

/** Whose key signs: the user's imported session (with signers), or a pregenerated wallet's stored share. */
export type SigningMode = "session" | "pregen";

export type ChainWalletType = "EVM" | "SOLANA" | "COSMOS";

/** The SDK instance as the @getpara/* integrations type it (ParaCore). */
export type IntegrationPara = Parameters<typeof createParaAccount>[0];

/** The wallet a recipe signs with: Para's wallet id and the address the server expects the signatures to recover to. */
export interface SigningWallet {
  id: string;
  address: string;
}

/** What happened to the signed transaction. Only a configured RPC URL sends it anywhere. */
export type Broadcast =
  | { status: "not_broadcast"; message: string }
  | { status: "sent"; transactionId: string }
  | { status: "included"; transactionId: string; blockNumber: string }
  | { status: "failed"; message: string; transactionId?: string };

/** The network the demo transaction is for. */
export interface NetworkView {
  name: string;
  chainId: string;
}

/** A message signed with a Para wallet, checked to recover to `address`. */
export interface SignedMessage {
  address: string;
  message: string;
  signature: string;
}

/** The demo transaction the server built, signed, checked, and broadcast when an RPC URL is set. */
export interface SignedTransaction {
  address: string;
  signedTransaction: string;
  network: NetworkView;
  broadcast: Broadcast;
}

/** A recipe's answer: the message and transaction the server built, both signed and checked. */
export type RecipeResult = SignedMessage & SignedTransaction;

/** What `/api/examples/[library]/{session,pregen}` answers. `verified` is true or the request failed. */
export interface SigningResult extends RecipeResult {
  library: SigningLibrary;
  mode: SigningMode;
  verified: true;
}

/** One library's way to sign a message and the demo transaction with a Para wallet, and check both. */
export interface Recipe {
  library: SigningLibrary;
  /** The wallet type it signs with (viem and ethers: EVM). */
  walletType: ChainWalletType;
  signMessage(para: IntegrationPara, wallet: SigningWallet, message: string): Promise<SignedMessage>;
  signTransaction(para: IntegrationPara, wallet: SigningWallet): Promise<SignedTransaction>;
}
