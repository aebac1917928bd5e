CREATE TABLE "pregen_wallets" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_user_id" text NOT NULL,
	"identifier_type" text NOT NULL,
	"identifier" text NOT NULL,
	"status" text NOT NULL,
	"wallets" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sealed_user_share" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "pregen_wallets_identifier_idx" ON "pregen_wallets" USING btree ("identifier_type","identifier");--> statement-breakpoint
CREATE INDEX "pregen_wallets_owner_created_idx" ON "pregen_wallets" USING btree ("owner_user_id","created_at");