-- Sessions stored before this migration took their identity from the browser's exported session,
-- which anyone can forge: forget them (their users sign in again) rather than trust them.
DELETE FROM "para_sessions";--> statement-breakpoint
ALTER TABLE "para_sessions" ADD COLUMN "wallets" jsonb DEFAULT '[]'::jsonb NOT NULL;
