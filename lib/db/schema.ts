import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { ParaWallet } from "../para/identity";
import type { Broadcast } from "../signing/types";

/**
 * The server's sessions: every cookie names a row by `id` (random), on every path, so logging out
 * (deleting the row) ends every copy of the cookie. The identity is Para's answer, never the
 * browser's word. What the server re-checks with Para is only ever stored sealed: the exported
 * session (a bearer credential) on the import path, the verification token on the token path.
 */
export const paraSessions = pgTable(
  "para_sessions",
  {
    id: text("id").primaryKey(),
    /** Which path started it: `import` (the session is held), `token` or `jwt` (only Para's answer is). */
    path: text("path", { enum: ["import", "token", "jwt"] })
      .notNull()
      .default("import"),
    /** Para's user id (its signed claims); null on the token path, whose answer names none. */
    userId: text("user_id"),
    authType: text("auth_type").notNull(),
    identifier: text("identifier").notNull(),
    /** The user's wallets as Para listed them in those claims. */
    wallets: jsonb("wallets").$type<ParaWallet[]>().notNull().default([]),
    /** The OAuth provider Para says the user signed in with (its JWT's `data.oAuthMethod`, or `/sessions/verify`'s). */
    oAuthMethod: text("o_auth_method"),
    /** Import path: AES-256-GCM envelope of the exported session, bound to `id` and `userId`. */
    sealedSession: text("sealed_session"),
    /** Token path: the verification token, sealed and bound to `id`, so the server can ask Para again. */
    sealedToken: text("sealed_token"),
    hasSigners: boolean("has_signers").notNull(),
    /** Import path: Para's id for the session (`/touch`'s `sessionId`), so a logout or a re-import removes every row of it. */
    paraSessionId: text("para_session_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    validatedAt: timestamp("validated_at", { withTimezone: true }).notNull(),
    /** When Para's session ends (a JWT's `exp`, at most 30 days on): the row and the cookie end with it. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    // Written by the removed keep-alive job; no longer read. Dropped in a later release, once no
    // deployment of the one before this still runs (a migration runs before the old one stops).
    keepAliveAt: timestamp("keep_alive_at", { withTimezone: true }),
    keepAliveOutcome: text("keep_alive_outcome"),
  },
  (table) => [
    index("para_sessions_user_id_idx").on(table.userId),
    index("para_sessions_expires_at_idx").on(table.expiresAt),
    index("para_sessions_para_session_id_idx").on(table.paraSessionId),
  ],
);

/**
 * Actions that cannot be undone (signatures, transactions), once per `Idempotency-Key` and user:
 * the first answer, replayed to repeats for a day (lib/http/idempotency.ts). `status` is null
 * while the first request runs, or when its answer could not be recorded.
 */
export const idempotentRequests = pgTable(
  "idempotent_requests",
  {
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    route: text("route").notNull(),
    status: integer("status"),
    body: jsonb("body"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.scope, table.key] }), index("idempotent_requests_created_at_idx").on(table.createdAt)],
);

/**
 * rate-limiter-flexible's counters (`RateLimiterDrizzle`): one row per limited key and window, so
 * every instance on one Postgres shares the counts.
 */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull().default(0),
  expire: timestamp("expire", { withTimezone: true }),
});

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
 * moment it reserves the identifier until the wallets Para made are stored; `ready` once their
 * user share (the key material) is stored, only ever sealed, bound to the row, owner and
 * identifier; `unstored` when Para made wallets whose share could not be stored: nobody can sign
 * with them, and the row keeps the identifier and their ids and addresses for an operator.
 */
export const pregenWallets = pgTable(
  "pregen_wallets",
  {
    id: text("id").primaryKey(),
    ownerUserId: text("owner_user_id").notNull(),
    identifierType: text("identifier_type", { enum: ["email", "phone", "customId"] }).notNull(),
    identifier: text("identifier").notNull(),
    status: text("status", { enum: ["creating", "ready", "unstored"] }).notNull(),
    wallets: jsonb("wallets").$type<StoredPregenWallet[]>().notNull().default([]),
    /** AES-256-GCM envelope of `getUserShare()`; set exactly when `ready`. */
    sealedUserShare: text("sealed_user_share"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // Para keeps one pregenerated wallet per type and identifier: so does the app, across owners.
    uniqueIndex("pregen_wallets_identifier_idx").on(table.identifierType, table.identifier),
    index("pregen_wallets_owner_created_idx").on(table.ownerUserId, table.createdAt),
    // The database holds the states too: no other status, and a share with a ready set only, always.
    check("pregen_wallets_status_check", sql`${table.status} in ('creating', 'ready', 'unstored')`),
    check("pregen_wallets_share_check", sql`(${table.status} = 'ready') = (${table.sealedUserShare} is not null)`),
  ],
);

/**
 * The `jti` of every encrypted session the server has opened (lib/transport/open-session.ts), until
 * the JWT expires: each one is taken once, by whichever instance sees it first.
 */
export const usedTransportJtis = pgTable(
  "used_transport_jtis",
  {
    jti: text("jti").primaryKey(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (table) => [index("used_transport_jtis_expires_at_idx").on(table.expiresAt)],
);

/**
 * A user's consent for the server to act while they are away (lib/grants/): until `until`, a durable
 * run keeps the Para session alive. One per Para session; granting again replaces it (a new `grantId`,
 * a new run). The row goes when the grant ends (revoked, logout, past `until`, or Para ended the session).
 */
export const sessionGrants = pgTable("session_grants", {
  paraSessionId: text("para_session_id").primaryKey(),
  /** Random per grant: the run it started checks it, so a replaced grant's run stops. */
  grantId: text("grant_id").notNull(),
  userId: text("user_id").notNull(),
  until: timestamp("until", { withTimezone: true }).notNull(),
  /** The engine's id for the run that keeps it: the only run whose steps may act for it. */
  runId: text("run_id"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const ACTION_STATUSES = ["scheduled", "running", "done", "failed", "cancelled"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** What a done action produced: a message's signature, or what happened to the signed transaction. */
export interface ActionResult {
  address: string;
  /** A message action: the text the server signed (lib/signing/demo.ts `scheduledMessage`) and the signature. */
  message?: string;
  signature?: string;
  /** A transaction action: what happened to it. */
  broadcast?: Broadcast;
}

/**
 * Signing the server does for a user at `at`, under a grant (lib/actions/). Owned by Para's user id,
 * so the user sees them after signing in again. `startedAt` is written before the signer is asked:
 * a run that finds it set never signs again.
 */
export const scheduledActions = pgTable(
  "scheduled_actions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    paraSessionId: text("para_session_id").notNull(),
    /** The grant it was scheduled under: a later grant of the same session does not revive it. */
    grantId: text("grant_id").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    library: text("library", { enum: ["viem", "ethers", "solana", "cosmjs"] }).notNull(),
    kind: text("kind", { enum: ["message", "transaction"] }).notNull(),
    message: text("message"),
    status: text("status", { enum: ACTION_STATUSES }).notNull().default("scheduled"),
    result: jsonb("result").$type<ActionResult>(),
    errorCode: text("error_code"),
    /** The engine's id for its run: the only run whose steps may act for it. */
    runId: text("run_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (table) => [
    index("scheduled_actions_user_created_idx").on(table.userId, table.createdAt),
    index("scheduled_actions_para_session_idx").on(table.paraSessionId),
    check("scheduled_actions_status_check", sql`${table.status} in ('scheduled', 'running', 'done', 'failed', 'cancelled')`),
  ],
);
