import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { ParaWallet } from "../para/identity";

/**
 * Para sessions the server holds for signed-in browsers. The browser's cookie names a row
 * by `id`; the exported session itself (a bearer credential) is only ever stored sealed.
 */
export const paraSessions = pgTable(
  "para_sessions",
  {
    id: text("id").primaryKey(),
    /** Who Para says the session belongs to (its signed claims at import), never the browser's word. */
    userId: text("user_id").notNull(),
    authType: text("auth_type").notNull(),
    identifier: text("identifier").notNull(),
    /** The user's wallets as Para listed them in those claims. */
    wallets: jsonb("wallets").$type<ParaWallet[]>().notNull().default([]),
    /** AES-256-GCM envelope of the exported session, bound to `id` and `userId`. */
    sealedSession: text("sealed_session").notNull(),
    hasSigners: boolean("has_signers").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    validatedAt: timestamp("validated_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (table) => [index("para_sessions_user_id_idx").on(table.userId), index("para_sessions_expires_at_idx").on(table.expiresAt)],
);

/** One wallet of a pregenerated set, as stored: never a share, only what identifies it. */
export interface StoredPregenWallet {
  type: "EVM" | "SOLANA" | "COSMOS";
  /** Para's wallet id. One secp256k1 wallet serves EVM and Cosmos, so two entries may share it. */
  paraWalletId: string;
  address: string;
}

/**
 * Wallets the server pregenerated with Para for an identifier, on behalf of the signed-in user
 * who asked (`ownerUserId`, the only one who may sign with them). A row is `creating` from the
 * moment it reserves the identifier and the owner's quota until Para has made the wallets; the
 * user share (the key material) is only ever stored sealed, bound to the row, owner and identifier.
 */
export const pregenWallets = pgTable(
  "pregen_wallets",
  {
    id: text("id").primaryKey(),
    ownerUserId: text("owner_user_id").notNull(),
    identifierType: text("identifier_type", { enum: ["email", "phone", "customId"] }).notNull(),
    identifier: text("identifier").notNull(),
    status: text("status", { enum: ["creating", "ready"] }).notNull(),
    wallets: jsonb("wallets").$type<StoredPregenWallet[]>().notNull().default([]),
    /** AES-256-GCM envelope of `getUserShare()`; null while `creating`. */
    sealedUserShare: text("sealed_user_share"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // Para keeps one pregenerated wallet per type and identifier: so does the app, across owners.
    uniqueIndex("pregen_wallets_identifier_idx").on(table.identifierType, table.identifier),
    index("pregen_wallets_owner_created_idx").on(table.ownerUserId, table.createdAt),
  ],
);
