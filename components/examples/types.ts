/** A pregenerated set as `/api/wallets/pregen` answers it. */
export interface PregenWalletSet {
  id: string;
  identifier: { type: "email" | "phone" | "customId"; value: string };
  wallets: { type: "EVM" | "SOLANA" | "COSMOS"; address: string }[];
  createdAt: string;
}

/** What `/api/examples/[library]/{session,pregen}` answers. */
export interface SigningAnswer {
  library: string;
  mode: "session" | "pregen";
  address: string;
  message: string;
  signature: string;
  signedTransaction: string;
  verified: boolean;
  network: { name: string; chainId: string };
  broadcast: { status: "not_broadcast" | "sent" | "failed"; message?: string; transactionId?: string };
}

export type SigningMode = SigningAnswer["mode"];
