import { boolean, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Para sessions the server holds for signed-in browsers. The browser's cookie names a row
 * by `id`; the exported session itself (a bearer credential) is only ever stored sealed.
 */
export const paraSessions = pgTable(
  "para_sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    authType: text("auth_type").notNull(),
    identifier: text("identifier").notNull(),
    /** AES-256-GCM envelope of the exported session, bound to `id` and `userId`. */
    sealedSession: text("sealed_session").notNull(),
    hasSigners: boolean("has_signers").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    validatedAt: timestamp("validated_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (table) => [index("para_sessions_user_id_idx").on(table.userId), index("para_sessions_expires_at_idx").on(table.expiresAt)],
);
