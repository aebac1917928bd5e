CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"expire" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "para_sessions" ALTER COLUMN "user_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "para_sessions" ALTER COLUMN "sealed_session" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "para_sessions" ADD COLUMN "path" text DEFAULT 'import' NOT NULL;--> statement-breakpoint
ALTER TABLE "para_sessions" ADD COLUMN "sealed_token" text;--> statement-breakpoint
ALTER TABLE "para_sessions" ADD COLUMN "para_session_id" text;--> statement-breakpoint
ALTER TABLE "para_sessions" ADD COLUMN "keep_alive_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "para_sessions" ADD COLUMN "keep_alive_outcome" text;--> statement-breakpoint
CREATE INDEX "para_sessions_para_session_id_idx" ON "para_sessions" USING btree ("para_session_id");