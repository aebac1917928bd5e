import { z } from "zod";

/** A wallet as Para lists it for a user: its id, type, address and (secp256k1) public key. */
export const paraWalletSchema = z.object({
  id: z.string().min(1).max(100),
  type: z.string().min(1).max(20),
  address: z.string().max(200).optional(),
  publicKey: z.string().max(200).optional(),
});

export type ParaWallet = z.infer<typeof paraWalletSchema>;

/**
 * Who a session belongs to, as Para says it: the claims of a JWT Para signed for the session
 * (path 1 on import, and path 3), or Para's answer to a verification token (path 2, which
 * names no user id). Never read from anything the browser wrote.
 */
export interface ParaIdentity {
  userId: string;
  authType: string;
  identifier: string;
  wallets: ParaWallet[];
  /** The OAuth provider the user signed in with (`google`, `x`, …), as Para attests it; absent for email and phone. */
  oAuthMethod?: string;
}

/** At most this many wallets per user are taken from Para's claims (they are stored with the session's row). */
export const MAX_IDENTITY_WALLETS = 20;
